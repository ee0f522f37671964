import { pageOf, type PageRequest } from '@edgeplane/service-kit';
import type { SchemaQueries } from '../db/database.js';
import type { NodeLayer } from '../membership/membership.engine.js';

/** One page of the published layers of a cluster's nodes (or of one node), by node (keyset: node). */
export async function layersPage(
  db: SchemaQueries,
  clusterId: string,
  node: string | undefined,
  page: PageRequest,
): Promise<{ items: { node: string; layer: NodeLayer }[]; nextPageToken: string }> {
  let query = db
    .selectFrom('proj_node_membership')
    .select(['node', 'layer'])
    .where('cluster_id', '=', clusterId)
    .orderBy('node')
    .limit(page.limit + 1);
  if (node !== undefined) query = query.where('node', '=', node);
  if (page.after) query = query.where('node', '>', String(page.after[0]));
  return pageOf(await query.execute(), page, (r) => [r.node]);
}

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
