// Original file: edgeplane/cluster/v1/cluster.proto

import type { Taint as _edgeplane_cluster_v1_Taint, Taint__Output as _edgeplane_cluster_v1_Taint__Output } from '../../../edgeplane/cluster/v1/Taint.js';

export interface TaintLayer {
  'owner'?: (string);
  'taints'?: (_edgeplane_cluster_v1_Taint)[];
}

export interface TaintLayer__Output {
  'owner': (string);
  'taints': (_edgeplane_cluster_v1_Taint__Output)[];
}
