import type {
  HealthTaint,
  ReadyCondition,
  Verdict,
  VerdictEvidence,
  VerdictRule,
} from '@edgeplane/contracts';
import type { Explanation } from '../engine/cluster-health.views.js';
import { ruleText, taintsOf } from './verdict.rules.js';

/** Verdict changes kept per node for ExplainNode (in the engine and read back from the record). */
export const HISTORY_LIMIT = 20;

/** A node's last recorded verdict change (proj_verdicts). */
export interface VerdictRecord {
  verdict: Verdict;
  rule: VerdictRule;
  since: Date;
  taints: HealthTaint[];
  condition: ReadyCondition;
  evidence: VerdictEvidence;
}

/** One recorded change (proj_verdict_history). */
export interface VerdictChangeRecord {
  at: Date;
  verdict: Verdict;
  previous: Verdict | null;
  rule: VerdictRule;
}

/** What ExplainNode shows, from the live engine or from the record. */
export interface NodeExplanationView extends Explanation {
  /** the taints of the PUBLISHED verdict: what the node carries */
  taints: HealthTaint[];
  /** false: the engine judging the node explains it now; true: the last recorded evidence */
  fromRecord: boolean;
}

export function liveExplanation(x: Explanation): NodeExplanationView {
  return { ...x, taints: x.current ? taintsOf(x.current.verdict) : x.computed.taints, fromRecord: false };
}

/**
 * A node judged by another instance (or no longer held by the engine): its last recorded verdict
 * and evidence. Only counted votes were recorded, so every peer shown is fresh and counted; the
 * cloud's age is the one at the change.
 */
export function recordedExplanation(
  clusterId: string,
  node: string,
  row: VerdictRecord,
  history: readonly VerdictChangeRecord[],
): NodeExplanationView {
  const e = row.evidence;
  const since = row.since.toISOString();
  return {
    clusterId,
    node,
    current: { verdict: row.verdict, rule: row.rule, since },
    computed: {
      verdict: row.verdict,
      rule: row.rule,
      taints: row.taints,
      condition: row.condition,
      evidence: e,
    },
    explanation: ruleText(row.rule),
    holdingUntil: null,
    cloud: {
      lastSeen: e.cloudLastSeen,
      ageMs: e.cloudLastSeen ? row.since.getTime() - Date.parse(e.cloudLastSeen) : null,
      lost: e.cloudLost,
      graceMs: 0,
    },
    peerCheck: {
      checked: e.scope !== 'none',
      scope: e.scope,
      units: e.units,
      peerSetSize: e.quorum.peerSetSize,
    },
    peers: e.peers.map((p) => ({
      peer: p.peer,
      healthy: p.healthy,
      ageMs: p.ageMs,
      fresh: true,
      abstained: false,
      counted: true,
    })),
    quorum: e.quorum,
    frozen: e.frozen,
    darkUnits: e.darkUnits,
    history: history.map((h) => ({
      at: h.at.toISOString(),
      verdict: h.verdict,
      previous: h.previous,
      rule: h.rule,
    })),
    taints: row.taints,
    fromRecord: true,
  };
}
