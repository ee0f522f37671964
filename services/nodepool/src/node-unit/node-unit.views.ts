import type { TakenKinsRanges } from '../kins/kins.rules.js';
import { unitDef, type UnitDef } from '../membership/membership.engine.js';
import type { ActiveUnitState } from './node-unit.state.js';

/** A live unit as the membership engine reads it. */
export function unitDefOf(unit: ActiveUnitState): UnitDef {
  return unitDef(unit.name, unit.spec, unit.managedBy);
}

/** The ranges the cluster's K3s units hold (any phase but none), for a promotion to avoid. */
export function takenKinsRanges(units: readonly ActiveUnitState[]): TakenKinsRanges[] {
  return units.flatMap((u) =>
    u.kins.phase === 'none'
      ? []
      : [{ unit: u.name, serviceCidr: u.kins.serviceCidr, nodePortRange: u.kins.nodePortRange }],
  );
}

/**
 * Unit status (SPEC F-NP-3): ready / not-ready members and the ready rate, computed at read time
 * from the unit's members and the latest verdicts (`proj_node_health`) — never stored as unit
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
