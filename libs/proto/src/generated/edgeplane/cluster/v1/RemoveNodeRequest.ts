// Original file: edgeplane/cluster/v1/cluster.proto

import type { NodeRef as _edgeplane_cluster_v1_NodeRef, NodeRef__Output as _edgeplane_cluster_v1_NodeRef__Output } from '../../../edgeplane/cluster/v1/NodeRef.js';

export interface RemoveNodeRequest {
  'node'?: (_edgeplane_cluster_v1_NodeRef | null);
}

export interface RemoveNodeRequest__Output {
  'node': (_edgeplane_cluster_v1_NodeRef__Output | null);
}
