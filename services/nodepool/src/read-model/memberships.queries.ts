import type { SchemaQueries } from '../db/database.js';
import type { NodeLayer } from '../membership/membership.engine.js';

/** The layer nodepool last published per node of a cluster (or of one node), by node. */
export async function layersOf(
  db: SchemaQueries,
  clusterId: string,
  node?: string,
): Promise<Map<string, NodeLayer>> {
  const query = db
    .selectFrom('proj_node_membership')
    .select(['node', 'layer'])
    .where('cluster_id', '=', clusterId)
    .orderBy('node');
  const rows = await (node === undefined ? query : query.where('node', '=', node)).execute();
  return new Map(rows.map((r) => [r.node, r.layer]));
}
