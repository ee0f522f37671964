import type {
  EventData,
  NodeDrainRequested,
  NodeJoined,
  NodeMembershipChanged,
  NodePodsStatusReported,
  NodeVerdictChanged,
} from '@edgeplane/contracts';
import { sql } from 'kysely';
import type { SchemaQueries } from '../db/database.js';
import type { NodeTaint } from '../db/proj-nodes.table.js';
import type { NodeAllocatable, ReportedPodStatus } from '../db/proj-pod-status.table.js';

/** One node as placement sees it. */
export interface WorldNode {
  name: string;
  labels: Record<string, string>;
  /** operator + every system owner's taints */
  taints: NodeTaint[];
  cordoned: boolean;
  addresses: string[];
  units: string[];
  verdict: string | null;
  draining: boolean;
  /** units the arbiter froze (the whole unit dark): their pods stay where they are */
  darkUnits: string[];
}

/** Everything a cluster's grids are reconciled against, read inside the reconciler's transaction. */
export interface GridWorld {
  clusterId: string;
  nodes: WorldNode[];
  /** unit → its own labels */
  units: Map<string, Record<string, string>>;
  /** group → its resolved units (sorted) */
  groups: Map<string, string[]>;
  /** node → its agent's latest pod status by pod name (only nodes whose agent reported) */
  podStatus: Map<string, Record<string, ReportedPodStatus>>;
  /** node → what its agent says it offers pods (only nodes whose agent reported it) */
  allocatable: Map<string, NodeAllocatable>;
}

export async function worldOf(db: SchemaQueries, clusterId: string): Promise<GridWorld> {
  const [nodes, units, groups, statuses] = await Promise.all([
    db.selectFrom('proj_nodes').selectAll().where('cluster_id', '=', clusterId).orderBy('name').execute(),
    db.selectFrom('proj_units').selectAll().where('cluster_id', '=', clusterId).orderBy('name').execute(),
    db.selectFrom('proj_groups').selectAll().where('cluster_id', '=', clusterId).orderBy('name').execute(),
    db
      .selectFrom('proj_pod_status')
      .select(['node', 'pods', 'allocatable'])
      .where('cluster_id', '=', clusterId)
      .execute(),
  ]);
  return {
    clusterId,
    nodes: nodes
      .filter((n) => n.joined_at !== '')
      .map((n) => ({
        name: n.name,
        labels: n.labels,
        taints: [...n.taints, ...Object.values(n.system_taints).flat()],
        cordoned: n.cordoned_by.length > 0,
        addresses: n.addresses,
        units: n.units,
        verdict: n.verdict,
        draining: n.drain_request_id !== null,
        darkUnits: n.dark_units,
      })),
    units: new Map(units.map((u) => [u.name, u.labels])),
    groups: new Map(groups.map((g) => [g.name, g.units])),
    podStatus: new Map(statuses.map((r) => [r.node, r.pods])),
    allocatable: new Map(statuses.flatMap((r) => (r.allocatable ? [[r.node, r.allocatable] as const] : []))),
  };
}

const EMPTY_NODE = {
  labels: '{}',
  taints: '[]',
  system_taints: '{}',
  cordoned_by: '[]',
  addresses: '[]',
  units: '[]',
  units_version: 0,
  verdict: null,
  verdict_at: null,
  drain_request_id: null,
};

export async function recordNodeJoined(db: SchemaQueries, d: EventData<typeof NodeJoined>): Promise<void> {
  await db
    .insertInto('proj_nodes')
    .values({
      ...EMPTY_NODE,
      cluster_id: d.clusterId,
      name: d.nodeName,
      labels: JSON.stringify(d.systemLabels),
      addresses: JSON.stringify(d.inventory.ips),
      joined_at: d.joinedAt,
    })
    .onConflict((oc) =>
      // a membership that arrived first made a placeholder row: keep its units
      oc.columns(['cluster_id', 'name']).doUpdateSet((eb) => ({
        labels: eb.ref('excluded.labels'),
        addresses: eb.ref('excluded.addresses'),
        joined_at: eb.ref('excluded.joined_at'),
      })),
    )
    .execute();
}

/** Read → change → write one node row (the consumer holds the cluster's lock). No row: no change. */
export async function updateNode(
  db: SchemaQueries,
  clusterId: string,
  name: string,
  change: (row: {
    labels: Record<string, string>;
    taints: NodeTaint[];
    system_taints: Record<string, NodeTaint[]>;
    cordoned_by: string[];
  }) => Partial<{
    labels: Record<string, string>;
    taints: NodeTaint[];
    system_taints: Record<string, NodeTaint[]>;
    cordoned_by: string[];
    drain_request_id: string | null;
  }>,
): Promise<boolean> {
  const row = await db
    .selectFrom('proj_nodes')
    .select(['labels', 'taints', 'system_taints', 'cordoned_by'])
    .where('cluster_id', '=', clusterId)
    .where('name', '=', name)
    .forUpdate()
    .executeTakeFirst();
  if (!row) return false;
  const next = change(row);
  const set: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(next))
    set[k] = v === null || typeof v === 'string' ? v : JSON.stringify(v);
  if (Object.keys(set).length === 0) return false;
  await db
    .updateTable('proj_nodes')
    .set(set)
    .where('cluster_id', '=', clusterId)
    .where('name', '=', name)
    .execute();
  return true;
}

export function relabel(
  labels: Record<string, string>,
  set: Record<string, string>,
  removed: readonly string[],
): Record<string, string> {
  const next = { ...labels };
  for (const k of removed) delete next[k];
  for (const [k, v] of Object.entries(set)) next[k] = v;
  return next;
}

export async function removeNode(db: SchemaQueries, clusterId: string, name: string): Promise<void> {
  await db.deleteFrom('proj_nodes').where('cluster_id', '=', clusterId).where('name', '=', name).execute();
}

/**
 * nodepool's full layer for a node: the units it is in. A full state with a stream version, so an
 * older one delivered late is ignored; a node not joined yet gets a placeholder row.
 */
export async function recordMembership(
  db: SchemaQueries,
  d: EventData<typeof NodeMembershipChanged>,
): Promise<void> {
  const version = d.streamVersion ?? 0;
  await db
    .insertInto('proj_nodes')
    .values({
      ...EMPTY_NODE,
      cluster_id: d.clusterId,
      name: d.node,
      units: JSON.stringify([...d.units].sort()),
      units_version: version,
      joined_at: '',
    })
    .onConflict((oc) =>
      oc
        .columns(['cluster_id', 'name'])
        .doUpdateSet((eb) => ({
          units: eb.ref('excluded.units'),
          units_version: eb.ref('excluded.units_version'),
        }))
        .where((eb) =>
          eb.or([
            eb('excluded.units_version', '=', 0),
            eb('proj_nodes.units_version', '<=', eb.ref('excluded.units_version')),
          ]),
        ),
    )
    .execute();
}

/** The arbiter's latest verdict on a node; an older one (by `at`) never overwrites a newer one. */
export async function recordVerdict(
  db: SchemaQueries,
  d: EventData<typeof NodeVerdictChanged>,
): Promise<boolean> {
  const result = await db
    .updateTable('proj_nodes')
    .set({ verdict: d.verdict, verdict_at: d.at, dark_units: JSON.stringify(d.evidence.darkUnits) })
    .where('cluster_id', '=', d.clusterId)
    .where('name', '=', d.node)
    .where((eb) => eb.or([eb('verdict_at', 'is', null), eb('verdict_at', '<=', d.at)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function recordDrain(
  db: SchemaQueries,
  d: EventData<typeof NodeDrainRequested>,
): Promise<boolean> {
  return updateNode(db, d.clusterId, d.nodeName, () => ({ drain_request_id: d.requestId }));
}

export async function recordUnit(
  db: SchemaQueries,
  clusterId: string,
  name: string,
  labels: Record<string, string>,
): Promise<void> {
  await db
    .insertInto('proj_units')
    .values({ cluster_id: clusterId, name, labels: JSON.stringify(labels) })
    .onConflict((oc) =>
      oc.columns(['cluster_id', 'name']).doUpdateSet((eb) => ({ labels: eb.ref('excluded.labels') })),
    )
    .execute();
}

export async function removeUnit(db: SchemaQueries, clusterId: string, name: string): Promise<void> {
  await db.deleteFrom('proj_units').where('cluster_id', '=', clusterId).where('name', '=', name).execute();
}

/** A group's resolved units; an older event of its stream delivered late is ignored. */
export async function recordGroupUnits(
  db: SchemaQueries,
  clusterId: string,
  name: string,
  units: readonly string[],
  sourceVersion: number,
): Promise<void> {
  await db
    .insertInto('proj_groups')
    .values({
      cluster_id: clusterId,
      name,
      units: JSON.stringify([...units].sort()),
      source_version: sourceVersion,
    })
    .onConflict((oc) =>
      oc
        .columns(['cluster_id', 'name'])
        .doUpdateSet((eb) => ({
          units: eb.ref('excluded.units'),
          source_version: eb.ref('excluded.source_version'),
        }))
        .where('proj_groups.source_version', '<=', sourceVersion),
    )
    .execute();
}

export async function removeGroup(db: SchemaQueries, clusterId: string, name: string): Promise<void> {
  await db.deleteFrom('proj_groups').where('cluster_id', '=', clusterId).where('name', '=', name).execute();
}

/** Reasons that mean a pod will not come up by waiting (stop a rollout at once). */
const FAILING = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'CrashLoopBackOff',
  'InvalidPodSpec',
  'CreateContainerError',
]);

/**
 * A node's pod report: the full status of its pods. Ready-since is kept from the earlier report
 * while a pod stays ready; a report older than the one stored is ignored.
 */
export async function recordPodStatus(
  db: SchemaQueries,
  d: EventData<typeof NodePodsStatusReported>,
): Promise<boolean> {
  const row = await db
    .selectFrom('proj_pod_status')
    .select(['pods', 'reported_at'])
    .where('cluster_id', '=', d.clusterId)
    .where('node', '=', d.node)
    .forUpdate()
    .executeTakeFirst();
  if (row && row.reported_at > d.reportedAt) return false;
  const pods: Record<string, ReportedPodStatus> = {};
  for (const p of d.pods) {
    const before = row && Object.hasOwn(row.pods, p.name) ? row.pods[p.name] : undefined;
    const reasons = [p.reason, ...p.containers.map((c) => c.reason)].filter((r): r is string => !!r);
    const failed = p.phase === 'Failed' || reasons.some((r) => FAILING.has(r));
    const reason = reasons[0] ?? (p.message ? p.message.slice(0, 128) : undefined);
    pods[p.name] = {
      ready: p.ready,
      ...(p.ready
        ? { readySince: before?.ready && before.readySince ? before.readySince : d.reportedAt }
        : {}),
      failed,
      ...(reason ? { reason } : {}),
      ...(p.podIP ? { ip: p.podIP } : {}),
      ...(p.revision ? { revision: p.revision } : {}),
    };
  }
  await db
    .insertInto('proj_pod_status')
    .values({
      cluster_id: d.clusterId,
      node: d.node,
      pods: JSON.stringify(pods),
      reported_at: d.reportedAt,
      allocatable: d.allocatable ? JSON.stringify(d.allocatable) : null,
    })
    .onConflict((oc) =>
      oc.columns(['cluster_id', 'node']).doUpdateSet((eb) => ({
        pods: eb.ref('excluded.pods'),
        reported_at: eb.ref('excluded.reported_at'),
        // an agent that stopped saying (an older one) keeps the last size it said
        allocatable: sql<string | null>`coalesce(excluded.allocatable, proj_pod_status.allocatable)`,
      })),
    )
    .execute();
  return true;
}
