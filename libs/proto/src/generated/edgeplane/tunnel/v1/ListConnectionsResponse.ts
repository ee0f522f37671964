// Original file: edgeplane/tunnel/v1/tunnel.proto

import type { Connection as _edgeplane_tunnel_v1_Connection, Connection__Output as _edgeplane_tunnel_v1_Connection__Output } from '../../../edgeplane/tunnel/v1/Connection.js';

export interface ListConnectionsResponse {
  'clusterId'?: (string);
  'connections'?: (_edgeplane_tunnel_v1_Connection)[];
  'nextPageToken'?: (string);
}

export interface ListConnectionsResponse__Output {
  'clusterId': (string);
  'connections': (_edgeplane_tunnel_v1_Connection__Output)[];
  'nextPageToken': (string);
}
