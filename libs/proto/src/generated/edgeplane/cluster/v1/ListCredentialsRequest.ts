// Original file: edgeplane/cluster/v1/cluster.proto

import type { ClusterRef as _edgeplane_cluster_v1_ClusterRef, ClusterRef__Output as _edgeplane_cluster_v1_ClusterRef__Output } from '../../../edgeplane/cluster/v1/ClusterRef.js';

export interface ListCredentialsRequest {
  'cluster'?: (_edgeplane_cluster_v1_ClusterRef | null);
}

export interface ListCredentialsRequest__Output {
  'cluster': (_edgeplane_cluster_v1_ClusterRef__Output | null);
}
