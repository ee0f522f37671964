import { NotFoundError } from '@edgeplane/es-kit';
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
