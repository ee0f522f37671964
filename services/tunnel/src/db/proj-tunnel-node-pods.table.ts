import type { Generated, JSONColumnType } from 'kysely';
import type { EdgeplaneTunnelV1 } from '@edgeplane/proto';

/**
 * `proj_tunnel_node_pods`: the pods each node's agent is told to run (NodePodsAssigned, mapped to
 * the tunnel's PodSpec and bounded), `digest` their content hash (part of the desired-state
 * version), `stream_version` the NodePodsAssigned streamVersion that set them.
 */
export interface ProjTunnelNodePodsTable {
  cluster_id: string;
  node: string;
  pods: JSONColumnType<EdgeplaneTunnelV1.PodSpec__Output[], string, string>;
  digest: string;
  stream_version: number;
  updated_at: Generated<Date>;
}
