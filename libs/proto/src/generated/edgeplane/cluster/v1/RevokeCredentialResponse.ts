// Original file: edgeplane/cluster/v1/cluster.proto

import type { UserCredential as _edgeplane_cluster_v1_UserCredential, UserCredential__Output as _edgeplane_cluster_v1_UserCredential__Output } from '../../../edgeplane/cluster/v1/UserCredential.js';

export interface RevokeCredentialResponse {
  'revoked'?: (_edgeplane_cluster_v1_UserCredential)[];
}

export interface RevokeCredentialResponse__Output {
  'revoked': (_edgeplane_cluster_v1_UserCredential__Output)[];
}
