/**
 * `proj_tunnel_connections`: each node's current control-stream session (inline projection of
 * NodeConnected/NodeDisconnected). Also the node-connection aggregate's snapshot: `stream_version`
 * is the version its handler appends after, so a reconnect never folds the node's whole history.
 */
export interface ProjTunnelConnectionsTable {
  cluster_id: string;
  node: string;
  stream_version: number;
  connected: boolean;
  session_id: string;
  replica: string;
  agent_version: string;
  ips: string[];
  probe_port: number;
  since: Date;
  last_position: number;
}
