import type { EventData, NodeJoined } from '@edgeplane/contracts';
import type { SchemaQueries } from '../db/database.js';
import type { NodeView } from '../membership/membership.engine.js';

/** The cluster's nodes with their OPERATOR labels (what selectors match), by name. */
export async function listNodes(db: SchemaQueries, clusterId: string): Promise<NodeView[]> {
  const rows = await db
    .selectFrom('proj_nodes')
    .select(['name', 'labels'])
    .where('cluster_id', '=', clusterId)
    .orderBy('name')
    .execute();
  return rows.map((r) => ({ clusterId, name: r.name, labels: r.labels }));
}

/** A joined node starts with its join-time system labels (a repeated join replaces them). */
export async function recordNodeJoined(db: SchemaQueries, d: EventData<typeof NodeJoined>): Promise<void> {
  await db
    .insertInto('proj_nodes')
    .values({
      cluster_id: d.clusterId,
      name: d.nodeName,
      labels: JSON.stringify(d.systemLabels),
      joined_at: d.joinedAt,
    })
    .onConflict((oc) =>
      oc.columns(['cluster_id', 'name']).doUpdateSet((eb) => ({
        labels: eb.ref('excluded.labels'),
        joined_at: eb.ref('excluded.joined_at'),
      })),
    )
    .execute();
}

/** Sets and removes operator labels of a node; a node nodepool never saw join is left alone. */
export async function relabelNode(
  db: SchemaQueries,
  clusterId: string,
  node: string,
  set: Readonly<Record<string, string>>,
  removed: readonly string[],
): Promise<void> {
  const row = await db
    .selectFrom('proj_nodes')
    .select('labels')
    .where('cluster_id', '=', clusterId)
    .where('name', '=', node)
    .forUpdate()
    .executeTakeFirst();
  if (!row) return; // removed meanwhile: nothing to relabel
  const labels = { ...row.labels, ...set };
  for (const key of removed) delete labels[key];
  await db
    .updateTable('proj_nodes')
    .set({ labels: JSON.stringify(labels) })
    .where('cluster_id', '=', clusterId)
    .where('name', '=', node)
    .execute();
}

/** Forgets one node of a cluster, or all of them. */
export async function removeNodes(db: SchemaQueries, clusterId: string, node?: string): Promise<void> {
  const query = db.deleteFrom('proj_nodes').where('cluster_id', '=', clusterId);
  await (node === undefined ? query : query.where('name', '=', node)).execute();
}
