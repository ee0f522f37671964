import type { Verdict, VerdictEvidence, VerdictRule } from '@edgeplane/contracts';
import type { EdgeplaneHealthV1 } from '@edgeplane/proto';
import type { NodeExplanationView } from './verdict.views.js';

/** Verdicts and explanations ↔ edgeplane.health.v1 messages. */

type VerdictPb = EdgeplaneHealthV1.Verdict__Output;

const VERDICT_TO_PB: Record<Verdict, VerdictPb> = {
  Ready: 'VERDICT_READY',
  NotReadyNoSchedule: 'VERDICT_NOT_READY_NO_SCHEDULE',
  NotReadyNoExecute: 'VERDICT_NOT_READY_NO_EXECUTE',
  Unknown: 'VERDICT_UNKNOWN',
};

/** The verdicts a ListVerdicts request may filter by. */
export const VERDICT_FROM_PB = {
  VERDICT_READY: 'Ready',
  VERDICT_NOT_READY_NO_SCHEDULE: 'NotReadyNoSchedule',
  VERDICT_NOT_READY_NO_EXECUTE: 'NotReadyNoExecute',
  VERDICT_UNKNOWN: 'Unknown',
} as const satisfies Partial<Record<VerdictPb, Verdict>>;

const verdictMessage = (v: Verdict | null | undefined): VerdictPb =>
  v ? VERDICT_TO_PB[v] : 'VERDICT_UNSPECIFIED';

export function verdictListMessage(
  rows: readonly {
    node: string;
    verdict: Verdict;
    rule: VerdictRule;
    since: Date;
    units: readonly string[];
    evidence: VerdictEvidence;
  }[],
): { verdicts: EdgeplaneHealthV1.NodeVerdict[] } {
  return {
    verdicts: rows.map((r) => ({
      node: r.node,
      verdict: verdictMessage(r.verdict),
      rule: r.rule,
      since: r.since.toISOString(),
      units: [...r.units].sort(),
      cloudLost: r.evidence.cloudLost,
      cloudLastSeen: r.evidence.cloudLastSeen ?? '',
      quorum: r.evidence.quorum,
    })),
  };
}

export function explanationMessage(x: NodeExplanationView): EdgeplaneHealthV1.NodeExplanation {
  const c = x.computed;
  return {
    clusterId: x.clusterId,
    node: x.node,
    verdict: verdictMessage(x.current?.verdict),
    rule: x.current?.rule ?? '',
    since: x.current?.since ?? '',
    computedVerdict: verdictMessage(c.verdict),
    computedRule: c.rule,
    explanation: x.explanation,
    taints: x.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
    condition: { status: c.condition.status, reason: c.condition.reason, message: c.condition.message },
    cloud: {
      lastSeen: x.cloud.lastSeen ?? '',
      ageMs: x.cloud.ageMs === null ? '-1' : String(Math.round(x.cloud.ageMs)),
      lost: x.cloud.lost,
      graceMs: x.cloud.graceMs,
    },
    scope: x.peerCheck.scope,
    units: x.peerCheck.units,
    peers: x.peers.map((p) => ({
      peer: p.peer,
      healthy: p.healthy,
      ageMs: String(Math.round(p.ageMs)),
      fresh: p.fresh,
      abstained: p.abstained,
      counted: p.counted,
    })),
    quorum: x.quorum,
    frozen: x.frozen,
    darkUnits: x.darkUnits,
    history: x.history.map((h) => ({
      at: h.at,
      verdict: verdictMessage(h.verdict),
      previous: verdictMessage(h.previous),
      rule: h.rule,
    })),
    holdingUntil: x.holdingUntil ?? '',
    fromRecord: x.fromRecord,
  };
}
