// Original file: edgeplane/cluster/v1/cluster.proto

import type { NodeRef as _edgeplane_cluster_v1_NodeRef, NodeRef__Output as _edgeplane_cluster_v1_NodeRef__Output } from '../../../edgeplane/cluster/v1/NodeRef.js';

export interface CordonNodeRequest {
  'node'?: (_edgeplane_cluster_v1_NodeRef | null);
  'reason'?: (string);
}

export interface CordonNodeRequest__Output {
  'node': (_edgeplane_cluster_v1_NodeRef__Output | null);
  'reason': (string);
}
