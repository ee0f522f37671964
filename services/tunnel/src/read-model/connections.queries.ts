import type { Db, Trx } from '@edgeplane/eventstore';
import { pageOf, type PageRequest } from '@edgeplane/service-kit';
import { sql } from 'kysely';
import { inSchema } from '../db/database.js';

export interface ConnectionSnapshot {
  cluster_id: string;
  node: string;
  stream_version: number;
  connected: boolean;
  session_id: string;
  replica: string;
  since: Date;
}

/** The node-connection aggregates' snapshots (proj_tunnel_connections) for these nodes. */
export async function connectionSnapshots(
  q: Db | Trx,
  schema: string,
  keys: readonly { clusterId: string; nodeName: string }[],
): Promise<ConnectionSnapshot[]> {
  if (keys.length === 0) return [];
  const clusters = keys.map((k) => k.clusterId);
  const nodes = keys.map((k) => k.nodeName);
  const rows = await sql<ConnectionSnapshot>`
    SELECT cluster_id, node, stream_version, connected, session_id, replica, since
    FROM ${sql.id(schema, 'proj_tunnel_connections')}
    WHERE (cluster_id, node) IN (SELECT * FROM unnest(${clusters}::text[], ${nodes}::text[]))`.execute(q);
  return rows.rows;
}

/** Sessions the log still records as held by `replica` (its previous life, at start). */
export function connectedTo(db: Db, schema: string, replica: string) {
  return inSchema(db, schema)
    .selectFrom('proj_tunnel_connections')
    .select(['cluster_id', 'node', 'session_id'])
    .where('replica', '=', replica)
    .where('connected', '=', true)
    .execute();
}

/** The nodes of a cluster with a tunnel open (ListConnections). */
/** One page of a cluster's open connections by node (keyset: node). */
export async function openConnections(db: Db, schema: string, clusterId: string, page: PageRequest) {
  let query = inSchema(db, schema)
    .selectFrom('proj_tunnel_connections')
    .select(['node', 'replica', 'session_id', 'since', 'agent_version', 'ips'])
    .where('cluster_id', '=', clusterId)
    .where('connected', '=', true)
    .orderBy('node')
    .limit(page.limit + 1);
  if (page.after) query = query.where('node', '>', String(page.after[0]));
  return pageOf(await query.execute(), page, (r) => [r.node]);
}
