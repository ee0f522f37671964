// Original file: edgeplane/cluster/v1/cluster.proto

import type { ClusterRef as _edgeplane_cluster_v1_ClusterRef, ClusterRef__Output as _edgeplane_cluster_v1_ClusterRef__Output } from '../../../edgeplane/cluster/v1/ClusterRef.js';

export interface SetTierRequest {
  'cluster'?: (_edgeplane_cluster_v1_ClusterRef | null);
  'tier'?: (string);
  'autoUpgrade'?: (boolean);
  '_autoUpgrade'?: "autoUpgrade";
}

export interface SetTierRequest__Output {
  'cluster': (_edgeplane_cluster_v1_ClusterRef__Output | null);
  'tier': (string);
  'autoUpgrade'?: (boolean);
  '_autoUpgrade'?: "autoUpgrade";
}
