// Original file: edgeplane/cluster/v1/cluster.proto

import type { ClusterRef as _edgeplane_cluster_v1_ClusterRef, ClusterRef__Output as _edgeplane_cluster_v1_ClusterRef__Output } from '../../../edgeplane/cluster/v1/ClusterRef.js';

export interface SetAccessRequest {
  'cluster'?: (_edgeplane_cluster_v1_ClusterRef | null);
  'publicAccess'?: (boolean);
  'privateAccess'?: (boolean);
  'privateSubnetId'?: (string);
  '_publicAccess'?: "publicAccess";
  '_privateAccess'?: "privateAccess";
}

export interface SetAccessRequest__Output {
  'cluster': (_edgeplane_cluster_v1_ClusterRef__Output | null);
  'publicAccess'?: (boolean);
  'privateAccess'?: (boolean);
  'privateSubnetId': (string);
  '_publicAccess'?: "publicAccess";
  '_privateAccess'?: "privateAccess";
}
