// Original file: edgeplane/cluster/v1/cluster.proto

import type { ClusterRef as _edgeplane_cluster_v1_ClusterRef, ClusterRef__Output as _edgeplane_cluster_v1_ClusterRef__Output } from '../../../edgeplane/cluster/v1/ClusterRef.js';

export interface IssueCredentialRequest {
  'cluster'?: (_edgeplane_cluster_v1_ClusterRef | null);
  'user'?: (string);
  'role'?: (string);
  'ttlSeconds'?: (number);
}

export interface IssueCredentialRequest__Output {
  'cluster': (_edgeplane_cluster_v1_ClusterRef__Output | null);
  'user': (string);
  'role': (string);
  'ttlSeconds': (number);
}
