import type { NotNull, Selectable } from 'kysely';
import type { SchemaQueries } from '../db/database.js';
import type { HealthNodesTable } from '../db/health-nodes.table.js';

export type HealthNodeRow = Selectable<HealthNodesTable>;

/** The present nodes of these clusters, with their units. */
export async function presentNodes(
  q: SchemaQueries,
  clusterIds: readonly string[],
): Promise<(Pick<HealthNodeRow, 'cluster_id' | 'node' | 'units'> & { joined_at: Date })[]> {
  if (clusterIds.length === 0) return [];
  return q
    .selectFrom('proj_health_nodes')
    .select(['cluster_id', 'node', 'joined_at', 'units'])
    .where('present', '=', true)
    .where('joined_at', 'is not', null) // a present node has joined
    .where('cluster_id', 'in', clusterIds)
    .$narrowType<{ joined_at: NotNull }>()
    .execute();
}

/** NodeJoined (idempotent); the row as it is now (units may have arrived first). */
export async function recordNodeJoined(
  q: SchemaQueries,
  node: { clusterId: string; node: string; joinedAt: string },
): Promise<Pick<HealthNodeRow, 'present' | 'joined_at' | 'units'>> {
  return q
    .insertInto('proj_health_nodes')
    .values({ cluster_id: node.clusterId, node: node.node, present: true, joined_at: node.joinedAt })
    .onConflict((oc) =>
      oc
        .columns(['cluster_id', 'node'])
        .doUpdateSet((eb) => ({ present: true, joined_at: eb.ref('excluded.joined_at') })),
    )
    .returning(['present', 'joined_at', 'units'])
    .executeTakeFirstOrThrow();
}

/** NodeRemoved (idempotent); the row keeps its units. */
export async function recordNodeRemoved(
  q: SchemaQueries,
  node: { clusterId: string; node: string },
): Promise<void> {
  await q
    .updateTable('proj_health_nodes')
    .set({ present: false, joined_at: null })
    .where('cluster_id', '=', node.clusterId)
    .where('node', '=', node.node)
    .execute();
}

/**
 * NodeMembershipChanged (idempotent: the full set of units replaces the previous one); the row as
 * it is now, or undefined when the event is older than the units already recorded (a late
 * redelivery: full-state events never go back). An event without a version applies as before.
 */
export async function recordNodeUnits(
  q: SchemaQueries,
  node: { clusterId: string; node: string; units: string[]; version?: number },
): Promise<Pick<HealthNodeRow, 'present' | 'joined_at' | 'units'> | undefined> {
  return q
    .insertInto('proj_health_nodes')
    .values({
      cluster_id: node.clusterId,
      node: node.node,
      units: node.units,
      units_version: node.version ?? null,
    })
    .onConflict((oc) =>
      oc
        .columns(['cluster_id', 'node'])
        .doUpdateSet((eb) => ({
          units: eb.ref('excluded.units'),
          units_version: eb.fn.coalesce('excluded.units_version', 'proj_health_nodes.units_version'),
        }))
        .where((eb) =>
          eb.or([
            eb('excluded.units_version', 'is', null),
            eb('proj_health_nodes.units_version', 'is', null),
            eb('proj_health_nodes.units_version', '<', eb.ref('excluded.units_version')),
          ]),
        ),
    )
    .returning(['present', 'joined_at', 'units'])
    .executeTakeFirst();
}

/** These nodes' rows in one cluster (for the engines' sync after changes committed by any replica). */
export async function nodeRows(
  q: SchemaQueries,
  clusterId: string,
  nodes: readonly string[],
): Promise<Pick<HealthNodeRow, 'node' | 'present' | 'joined_at' | 'units'>[]> {
  if (nodes.length === 0) return [];
  return q
    .selectFrom('proj_health_nodes')
    .select(['node', 'present', 'joined_at', 'units'])
    .where('cluster_id', '=', clusterId)
    .where('node', 'in', nodes)
    .execute();
}
