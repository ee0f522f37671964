import type { Verdict, VerdictRule } from '@edgeplane/contracts';
import type { ColumnType } from 'kysely';

/** proj_verdict_history: every verdict change, so ExplainNode's history survives a restart. */
export interface VerdictHistoryTable {
  cluster_id: string;
  node: string;
  /** the NodeVerdictChanged event's global position */
  position: number;
  at: ColumnType<Date, string, string>;
  verdict: Verdict;
  previous: Verdict | null;
  rule: VerdictRule;
}
