import type { Db, Trx } from '@edgeplane/eventstore';
import type { EdgeplaneTunnelV1 } from '@edgeplane/proto';
import { sql } from 'kysely';
import { inSchema } from '../db/database.js';

/**
 * The pods each node is told to run (proj_tunnel_node_pods): written by the NodePodsAssigned
 * consumer, read by the control session of the replica holding the node when the directory says
 * the node's pods digest changed. Only digests live in every replica's memory; a node's pods are
 * read when they are pushed.
 */

/** Replaces the node's pods unless a newer assignment (higher streamVersion) is already applied. */
export async function setNodePods(
  trx: Trx,
  schema: string,
  row: {
    clusterId: string;
    node: string;
    pods: EdgeplaneTunnelV1.PodSpec__Output[];
    digest: string;
    streamVersion: number;
  },
): Promise<boolean> {
  const t = sql.id(schema, 'proj_tunnel_node_pods');
  const result = await sql`
    INSERT INTO ${t} AS p (cluster_id, node, pods, digest, stream_version)
    VALUES (${row.clusterId}, ${row.node}, ${JSON.stringify(row.pods)}::jsonb, ${row.digest}, ${row.streamVersion})
    ON CONFLICT (cluster_id, node) DO UPDATE SET
      pods = excluded.pods, digest = excluded.digest, stream_version = excluded.stream_version, updated_at = now()
    WHERE p.stream_version < excluded.stream_version`.execute(trx);
  return (result.numAffectedRows ?? 0n) > 0n;
}

export interface NodePods {
  pods: EdgeplaneTunnelV1.PodSpec__Output[];
  digest: string;
  streamVersion: number;
}

export async function nodePods(
  db: Db,
  schema: string,
  clusterId: string,
  node: string,
): Promise<NodePods | undefined> {
  const row = await inSchema(db, schema)
    .selectFrom('proj_tunnel_node_pods')
    .select(['pods', 'digest', 'stream_version'])
    .where('cluster_id', '=', clusterId)
    .where('node', '=', node)
    .executeTakeFirst();
  return row ? { pods: row.pods, digest: row.digest, streamVersion: row.stream_version } : undefined;
}
