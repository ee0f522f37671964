import { NotFoundError } from '@edgeplane/es-kit';
import { pageOf, type PageRequest } from '@edgeplane/service-kit';
import type { SchemaQueries } from '../db/database.js';
import type { PresentNode } from '../node/node.state.js';
import type { NodeCondition } from '../node/node.views.js';

export async function listNodes(q: SchemaQueries, clusterId: string): Promise<PresentNode[]> {
  const rows = await q
    .selectFrom('proj_nodes')
    .select('state')
    .where('cluster_id', '=', clusterId)
    .orderBy('node_name')
    .execute();
  return rows.map((r) => r.state);
}

/**
 * One page of a cluster's nodes by name (keyset: node_name) among those `keep` accepts (the
 * label selector is applied here, so a page is full unless it is the last one).
 */
export async function listNodesPage(
  q: SchemaQueries,
  clusterId: string,
  keep: (node: PresentNode) => boolean,
  page: PageRequest,
): Promise<{ items: PresentNode[]; nextPageToken: string }> {
  const kept: PresentNode[] = [];
  let after = page.after ? String(page.after[0]) : undefined;
  const chunk = Math.max(page.limit + 1, 200);
  for (;;) {
    let query = q
      .selectFrom('proj_nodes')
      .select(['state', 'node_name'])
      .where('cluster_id', '=', clusterId)
      .orderBy('node_name')
      .limit(chunk);
    if (after !== undefined) query = query.where('node_name', '>', after);
    const rows = await query.execute();
    for (const r of rows) if (keep(r.state)) kept.push(r.state);
    if (rows.length < chunk || kept.length > page.limit) break;
    after = rows[rows.length - 1]!.node_name;
  }
  return pageOf(kept, page, (n) => [n.nodeName]);
}

export async function findNode(
  q: SchemaQueries,
  clusterId: string,
  nodeName: string,
): Promise<PresentNode | undefined> {
  const row = await q
    .selectFrom('proj_nodes')
    .select('state')
    .where('cluster_id', '=', clusterId)
    .where('node_name', '=', nodeName)
    .executeTakeFirst();
  return row?.state;
}

export async function getNode(q: SchemaQueries, clusterId: string, nodeName: string): Promise<PresentNode> {
  const node = await findNode(q, clusterId, nodeName);
  if (!node) throw new NotFoundError('node', `${clusterId}/${nodeName}`);
  return node;
}

/** Conditions by node name: of every node of the cluster, or of the named ones. */
export async function nodeConditions(
  q: SchemaQueries,
  clusterId: string,
  nodeNames?: string[],
): Promise<Map<string, NodeCondition[]>> {
  let query = q.selectFrom('node_conditions').selectAll().where('cluster_id', '=', clusterId);
  if (nodeNames) {
    if (nodeNames.length === 0) return new Map();
    query = query.where('node_name', 'in', nodeNames);
  }
  const out = new Map<string, NodeCondition[]>();
  for (const r of await query.execute()) {
    const list = out.get(r.node_name) ?? [];
    list.push({
      type: r.type,
      status: r.status,
      reason: r.reason,
      message: r.message,
      lastTransitionAt: r.last_transition_at.toISOString(),
    });
    out.set(r.node_name, list);
  }
  return out;
}
