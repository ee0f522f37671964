// Original file: edgeplane/cluster/v1/cluster.proto

import type { JoinToken as _edgeplane_cluster_v1_JoinToken, JoinToken__Output as _edgeplane_cluster_v1_JoinToken__Output } from '../../../edgeplane/cluster/v1/JoinToken.js';

export interface CreateJoinTokenResponse {
  'token'?: (_edgeplane_cluster_v1_JoinToken | null);
  'tokenSecretText'?: (string);
  'joinCommand'?: (string);
  'privateAccessPreInstall'?: (string)[];
  'instructions'?: (string);
}

export interface CreateJoinTokenResponse__Output {
  'token': (_edgeplane_cluster_v1_JoinToken__Output | null);
  'tokenSecretText': (string);
  'joinCommand': (string);
  'privateAccessPreInstall': (string)[];
  'instructions': (string);
}
