// Original file: edgeplane/cluster/v1/cluster.proto

import type { ClusterRef as _edgeplane_cluster_v1_ClusterRef, ClusterRef__Output as _edgeplane_cluster_v1_ClusterRef__Output } from '../../../edgeplane/cluster/v1/ClusterRef.js';

export interface VerifyCredentialRequest {
  'cluster'?: (_edgeplane_cluster_v1_ClusterRef | null);
  'certificatePem'?: (string);
  'targetNode'?: (string);
  'credentialFingerprint'?: (string);
}

export interface VerifyCredentialRequest__Output {
  'cluster': (_edgeplane_cluster_v1_ClusterRef__Output | null);
  'certificatePem': (string);
  'targetNode': (string);
  'credentialFingerprint': (string);
}
