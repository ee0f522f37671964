import { IllegalStateError, ValidationError, type FieldViolation } from '@edgeplane/es-kit';
import { cidr, cidrAddressCount, podCidrHolds, type Cidr } from '../network/cidr.js';
import {
  findTier,
  nextTier,
  tierRank,
  type ReferenceData,
  type TierRow,
} from '../reference-data/reference-data.js';
import {
  clusterEvent,
  hasJoinAccess,
  noJoinAccess,
  type ActiveCluster,
  type ClusterEvent,
  type ClusterEventOf,
} from './cluster.state.js';

/**
 * Capacity decisions (F-CL-3): the tier and its caps, nodes counted against them, usage reports,
 * auto-upgrade and the capacity cordons that lift when there is room again.
 */

export interface SetTier {
  type: 'SetTier';
  clusterId: string;
  tier: string;
  now: string;
}

export interface SetAutoUpgrade {
  type: 'SetAutoUpgrade';
  clusterId: string;
  enabled: boolean;
  now: string;
}

/** Counts a joining node against the tier; part of join-token redemption, before JoinNode. */
export interface AdmitNode {
  type: 'AdmitNode';
  clusterId: string;
  nodeName: string;
  now: string;
}

/** Reaction to NodeRemoved: the node stops counting against the tier. */
export interface RecordNodeRemoved {
  type: 'RecordNodeRemoved';
  clusterId: string;
  nodeName: string;
  now: string;
}

/** Periodic usage report (pods, ConfigMaps, CRDs) from the workload side. */
export interface RecordUsage {
  type: 'RecordUsage';
  clusterId: string;
  pods: number;
  configMaps: number;
  crds: number;
  now: string;
}

export function setTier(ref: ReferenceData, c: SetTier, s: ActiveCluster): ClusterEvent[] {
  const target = findTier(ref, c.tier);
  if (!target) throw ValidationError.field('tier', unknownTier(ref, c.tier));
  if (c.tier === s.tier) return [];
  const up = tierRank(ref, c.tier) > tierRank(ref, s.tier);
  if (up) {
    const pod = cidr(s.spec.podCidr);
    if (!podCidrHolds(pod, target.pods)) throw ValidationError.field('tier', podCidrTooSmall(pod, target));
  } else {
    const excess = usageExcess(usageOf(s), target);
    if (excess.length > 0) {
      throw new IllegalStateError(
        `cannot lower cluster ${s.spec.name} to tier ${target.name}: ${excess.join('; ')}`,
      );
    }
  }
  const changed = clusterEvent('ClusterTierChanged', {
    clusterId: c.clusterId,
    from: s.tier,
    to: target.name,
    direction: up ? 'up' : 'down',
    cause: 'manual',
    usage: usageOf(s),
    changedAt: c.now,
  });
  return up ? [changed, ...liftCordons(s, target, s.overCapacityNodes, withinCap(s), c.now)] : [changed];
}

export function setAutoUpgrade(c: SetAutoUpgrade, s: ActiveCluster): ClusterEvent[] {
  if (s.autoUpgrade === c.enabled) return [];
  return [
    clusterEvent('ClusterAutoUpgradeChanged', {
      clusterId: c.clusterId,
      enabled: c.enabled,
      changedAt: c.now,
    }),
  ];
}

export function admitNode(ref: ReferenceData, c: AdmitNode, s: ActiveCluster): ClusterEvent[] {
  if (s.nodes.includes(c.nodeName)) return [];
  if (!hasJoinAccess(s.access)) throw new IllegalStateError(noJoinAccess(s.spec.name));
  const events: ClusterEvent[] = [];
  let tier = currentTier(ref, s);
  let within = withinCap(s);
  let waiting = s.overCapacityNodes;
  if (within >= tier.nodes && s.autoUpgrade) {
    const raised = autoUpgrade(ref, s, tier, { ...usageOf(s), nodes: s.nodes.length + 1 }, c);
    if (raised) {
      const lifted = liftCordons(s, raised.tier, waiting, within, c.now);
      events.push(raised.event, ...lifted);
      const liftedCount = lifted.length > 0 ? lifted[0]!.data.nodeNames.length : 0;
      within += liftedCount;
      waiting = waiting.slice(liftedCount);
      tier = raised.tier;
    }
  }
  events.push(
    clusterEvent('ClusterNodeAdmitted', {
      clusterId: c.clusterId,
      nodeName: c.nodeName,
      nodeCount: s.nodes.length + 1,
      tier: tier.name,
      overCapacity: within >= tier.nodes,
      admittedAt: c.now,
    }),
  );
  return events;
}

export function recordNodeRemoved(
  ref: ReferenceData,
  c: RecordNodeRemoved,
  s: ActiveCluster,
): ClusterEvent[] {
  if (!s.nodes.includes(c.nodeName)) return [];
  const released = clusterEvent('ClusterNodeReleased', {
    clusterId: c.clusterId,
    nodeName: c.nodeName,
    nodeCount: s.nodes.length - 1,
    releasedAt: c.now,
  });
  const wasWaiting = s.overCapacityNodes.includes(c.nodeName);
  const waiting = s.overCapacityNodes.filter((n) => n !== c.nodeName);
  const within = withinCap(s) - (wasWaiting ? 0 : 1);
  return [released, ...liftCordons(s, currentTier(ref, s), waiting, within, c.now)];
}

export function recordUsage(ref: ReferenceData, c: RecordUsage, s: ActiveCluster): ClusterEvent[] {
  const violations: FieldViolation[] = [];
  for (const field of ['pods', 'configMaps', 'crds'] as const) {
    if (!Number.isInteger(c[field]) || c[field] < 0)
      violations.push({ field, description: `must be a non-negative integer, got ${c[field]}` });
  }
  if (violations.length > 0) throw new ValidationError(violations);
  if (s.usage.pods === c.pods && s.usage.configMaps === c.configMaps && s.usage.crds === c.crds) return [];
  const events: ClusterEvent[] = [
    clusterEvent('ClusterUsageRecorded', {
      clusterId: c.clusterId,
      pods: c.pods,
      configMaps: c.configMaps,
      crds: c.crds,
      recordedAt: c.now,
    }),
  ];
  const usage = { nodes: s.nodes.length, pods: c.pods, configMaps: c.configMaps, crds: c.crds };
  const tier = currentTier(ref, s);
  if (s.autoUpgrade && usageExcess(usage, tier).length > 0) {
    const raised = autoUpgrade(ref, s, tier, usage, c);
    if (raised) {
      events.push(raised.event, ...liftCordons(s, raised.tier, s.overCapacityNodes, withinCap(s), c.now));
    }
  }
  return events;
}

export function unknownTier(ref: ReferenceData, name: string): string {
  return `unknown tier "${name}"; tiers: ${ref.tiers.map((t) => t.name).join(', ')}`;
}

export function podCidrTooSmall(pod: Cidr, tier: TierRow): string {
  return `Pod CIDR ${pod.text} holds ${cidrAddressCount(pod)} addresses, fewer than tier ${tier.name}'s pod quota of ${tier.pods}`;
}

// ───────────────────────────── helpers ─────────────────────────────

type Usage = { nodes: number; pods: number; configMaps: number; crds: number };

/**
 * Auto-upgrade: one step up the ladder, if there is one and the (immutable) Pod CIDR holds its
 * pod quota; `usage` is what made the raise necessary.
 */
function autoUpgrade(
  ref: ReferenceData,
  s: ActiveCluster,
  tier: TierRow,
  usage: Usage,
  c: { clusterId: string; now: string },
): { tier: TierRow; event: ClusterEventOf<'ClusterTierChanged'> } | undefined {
  const next = nextTier(ref, tier.name);
  if (!next || !podCidrHolds(cidr(s.spec.podCidr), next.pods)) return undefined;
  return {
    tier: next,
    event: clusterEvent('ClusterTierChanged', {
      clusterId: c.clusterId,
      from: tier.name,
      to: next.name,
      direction: 'up',
      cause: 'auto-upgrade',
      usage,
      changedAt: c.now,
    }),
  };
}

function currentTier(ref: ReferenceData, s: ActiveCluster): TierRow {
  const tier = findTier(ref, s.tier);
  if (!tier)
    throw new IllegalStateError(
      `cluster ${s.spec.name} is on tier ${s.tier}, which the reference data no longer lists`,
    );
  return tier;
}

function usageOf(s: ActiveCluster): Usage {
  return { nodes: s.nodes.length, ...s.usage };
}

function usageExcess(usage: Usage, tier: TierRow): string[] {
  const excess: string[] = [];
  if (usage.nodes > tier.nodes) excess.push(`${usage.nodes} nodes exceed its cap of ${tier.nodes}`);
  if (usage.pods > tier.pods) excess.push(`${usage.pods} pods exceed its cap of ${tier.pods}`);
  if (usage.configMaps > tier.configMaps)
    excess.push(`${usage.configMaps} ConfigMaps exceed its cap of ${tier.configMaps}`);
  if (usage.crds > tier.crds) excess.push(`${usage.crds} CRDs exceed its cap of ${tier.crds}`);
  return excess;
}

function withinCap(s: ActiveCluster): number {
  return s.nodes.length - s.overCapacityNodes.length;
}

/** Lifts, in join order, as many capacity cordons as the tier's node cap now has room for. */
function liftCordons(
  s: ActiveCluster,
  tier: TierRow,
  waiting: string[],
  within: number,
  now: string,
): ClusterEventOf<'ClusterCapacityCordonsLifted'>[] {
  const room = Math.max(0, tier.nodes - within);
  const nodeNames = waiting.slice(0, room);
  if (nodeNames.length === 0) return [];
  return [
    clusterEvent('ClusterCapacityCordonsLifted', {
      clusterId: s.spec.clusterId,
      nodeNames,
      tier: tier.name,
      liftedAt: now,
    }),
  ];
}
