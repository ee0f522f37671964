// Original file: edgeplane/cluster/v1/cluster.proto

import type { Node as _edgeplane_cluster_v1_Node, Node__Output as _edgeplane_cluster_v1_Node__Output } from '../../../edgeplane/cluster/v1/Node.js';

export interface ListNodesResponse {
  'nodes'?: (_edgeplane_cluster_v1_Node)[];
  'nextPageToken'?: (string);
}

export interface ListNodesResponse__Output {
  'nodes': (_edgeplane_cluster_v1_Node__Output)[];
  'nextPageToken': (string);
}
