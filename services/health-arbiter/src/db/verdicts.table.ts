import type {
  HealthTaint,
  ReadyCondition,
  Verdict,
  VerdictEvidence,
  VerdictRule,
} from '@edgeplane/contracts';
import type { ColumnType, JSONColumnType } from 'kysely';

/**
 * proj_verdicts: the latest verdict of every judged node with its evidence, and the version of
 * its verdict stream (so the arbiter appends without reading the stream back); inline
 * projection of NodeVerdictChanged / NodeEvictionRequested.
 */
export interface VerdictsTable {
  cluster_id: string;
  node: string;
  verdict: Verdict;
  previous: Verdict | null;
  rule: VerdictRule;
  since: ColumnType<Date, string, string>;
  taints: JSONColumnType<HealthTaint[]>;
  condition: JSONColumnType<ReadyCondition>;
  evidence: JSONColumnType<VerdictEvidence>;
  stream_version: number;
  last_position: number;
}
