// Original file: edgeplane/cluster/v1/cluster.proto

import type { ClusterRef as _edgeplane_cluster_v1_ClusterRef, ClusterRef__Output as _edgeplane_cluster_v1_ClusterRef__Output } from '../../../edgeplane/cluster/v1/ClusterRef.js';

export interface SetRemoteLoginRequest {
  'cluster'?: (_edgeplane_cluster_v1_ClusterRef | null);
  'enabled'?: (boolean);
}

export interface SetRemoteLoginRequest__Output {
  'cluster': (_edgeplane_cluster_v1_ClusterRef__Output | null);
  'enabled': (boolean);
}
