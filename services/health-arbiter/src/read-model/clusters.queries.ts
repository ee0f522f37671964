import { NotFoundError } from '@edgeplane/es-kit';
import type { SchemaQueries } from '../db/database.js';

/** Cluster name or id → id (the live cluster of that name; an id wins over a name). */
export async function resolveCluster(q: SchemaQueries, ref: string): Promise<string> {
  const row = await q
    .selectFrom('proj_health_clusters')
    .select('cluster_id')
    .where((eb) =>
      eb.and([eb.not(eb.ref('deleted')), eb.or([eb('cluster_id', '=', ref), eb('name', '=', ref)])]),
    )
    .orderBy((eb) => eb('cluster_id', '=', ref), 'desc')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('cluster', ref);
  return row.cluster_id;
}

/** Every cluster not deleted. */
export async function liveClusterIds(q: SchemaQueries): Promise<string[]> {
  const rows = await q
    .selectFrom('proj_health_clusters')
    .select('cluster_id')
    .where((eb) => eb.not(eb.ref('deleted')))
    .execute();
  return rows.map((r) => r.cluster_id);
}

/** ClusterCreated (idempotent: a redelivery only renames). */
export async function recordClusterCreated(
  q: SchemaQueries,
  cluster: { clusterId: string; name: string; createdAt: string },
): Promise<void> {
  await q
    .insertInto('proj_health_clusters')
    .values({
      cluster_id: cluster.clusterId,
      name: cluster.name,
      deleted: false,
      created_at: cluster.createdAt,
    })
    .onConflict((oc) => oc.column('cluster_id').doUpdateSet((eb) => ({ name: eb.ref('excluded.name') })))
    .execute();
}

/** ClusterDeleted: the name stays resolvable no more, its node set goes. */
export async function recordClusterDeleted(q: SchemaQueries, clusterId: string): Promise<void> {
  await q
    .updateTable('proj_health_clusters')
    .set({ deleted: true })
    .where('cluster_id', '=', clusterId)
    .execute();
  await q.deleteFrom('proj_health_nodes').where('cluster_id', '=', clusterId).execute();
}
