/**
 * Unit status (SPEC F-NP-3): ready / not-ready members and the ready rate, as a pure function
 * for the unit-status projection. It is recomputed whenever NodeUnitMembersChanged, the cluster's
 * node condition events or the health-arbiter's NodeVerdictChanged arrive — not stored as unit
 * events (that would make every heartbeat flap a domain event).
 */
export interface NodeReadiness {
  /** Kubernetes Ready condition as the cluster service reports it. */
  condition?: boolean;
  /** Health-arbiter verdict; when present it decides (it already weighs the cloud's view). */
  verdict?: 'Ready' | 'NotReady';
}

export interface UnitStatus {
  total: number;
  readyNodes: string[];
  notReadyNodes: string[];
  /** "ready/total" like SuperEdge's status.readyRate. "0/0" for an empty unit. */
  readyRate: string;
  /** ready/total in [0, 1]; 0 for an empty unit. */
  readyRatio: number;
}

/** Unknown counts as not ready (Kubernetes: Ready condition must be True). */
export function isNodeReady(r: NodeReadiness | undefined): boolean {
  if (!r) return false;
  if (r.verdict !== undefined) return r.verdict === 'Ready';
  return r.condition === true;
}

export function computeUnitStatus(
  members: readonly string[],
  readiness: ReadonlyMap<string, NodeReadiness>,
): UnitStatus {
  const sorted = [...new Set(members)].sort();
  const readyNodes = sorted.filter((n) => isNodeReady(readiness.get(n)));
  const notReadyNodes = sorted.filter((n) => !isNodeReady(readiness.get(n)));
  const total = sorted.length;
  return {
    total,
    readyNodes,
    notReadyNodes,
    readyRate: `${readyNodes.length}/${total}`,
    readyRatio: total === 0 ? 0 : readyNodes.length / total,
  };
}
