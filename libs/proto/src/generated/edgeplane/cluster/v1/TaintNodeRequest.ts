// Original file: edgeplane/cluster/v1/cluster.proto

import type { NodeRef as _edgeplane_cluster_v1_NodeRef, NodeRef__Output as _edgeplane_cluster_v1_NodeRef__Output } from '../../../edgeplane/cluster/v1/NodeRef.js';
import type { Taint as _edgeplane_cluster_v1_Taint, Taint__Output as _edgeplane_cluster_v1_Taint__Output } from '../../../edgeplane/cluster/v1/Taint.js';
import type { TaintRemoval as _edgeplane_cluster_v1_TaintRemoval, TaintRemoval__Output as _edgeplane_cluster_v1_TaintRemoval__Output } from '../../../edgeplane/cluster/v1/TaintRemoval.js';

export interface TaintNodeRequest {
  'node'?: (_edgeplane_cluster_v1_NodeRef | null);
  'set'?: (_edgeplane_cluster_v1_Taint)[];
  'remove'?: (_edgeplane_cluster_v1_TaintRemoval)[];
}

export interface TaintNodeRequest__Output {
  'node': (_edgeplane_cluster_v1_NodeRef__Output | null);
  'set': (_edgeplane_cluster_v1_Taint__Output)[];
  'remove': (_edgeplane_cluster_v1_TaintRemoval__Output)[];
}
