import { NotFoundError } from '@edgeplane/es-kit';
import type { ClusterCreated, EventData } from '@edgeplane/contracts';
import type { SchemaQueries } from '../db/database.js';

/** A live cluster by id or by name (ids win over names); NOT_FOUND otherwise. */
export async function resolveCluster(
  db: SchemaQueries,
  ref: string,
): Promise<{ clusterId: string; name: string }> {
  const row = await db
    .selectFrom('proj_clusters')
    .select(['cluster_id', 'name'])
    .where((eb) =>
      eb.and([eb.not(eb.ref('deleted')), eb.or([eb('cluster_id', '=', ref), eb('name', '=', ref)])]),
    )
    .orderBy((eb) => eb('cluster_id', '=', ref), 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Cluster', ref);
  return { clusterId: row.cluster_id, name: row.name };
}

export async function recordClusterCreated(
  db: SchemaQueries,
  d: EventData<typeof ClusterCreated>,
): Promise<void> {
  await db
    .insertInto('proj_clusters')
    .values({ cluster_id: d.clusterId, name: d.name, created_at: d.createdAt })
    .onConflict((oc) => oc.column('cluster_id').doNothing())
    .execute();
}

/** A deleted cluster keeps its row (it no longer resolves) and loses its nodes, units and groups. */
export async function markClusterDeleted(db: SchemaQueries, clusterId: string): Promise<void> {
  await db.updateTable('proj_clusters').set({ deleted: true }).where('cluster_id', '=', clusterId).execute();
  for (const table of ['proj_nodes', 'proj_units', 'proj_groups'] as const)
    await db.deleteFrom(table).where('cluster_id', '=', clusterId).execute();
}
