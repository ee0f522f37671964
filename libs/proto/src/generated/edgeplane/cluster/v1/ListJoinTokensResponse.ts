// Original file: edgeplane/cluster/v1/cluster.proto

import type { JoinToken as _edgeplane_cluster_v1_JoinToken, JoinToken__Output as _edgeplane_cluster_v1_JoinToken__Output } from '../../../edgeplane/cluster/v1/JoinToken.js';

export interface ListJoinTokensResponse {
  'tokens'?: (_edgeplane_cluster_v1_JoinToken)[];
  'nextPageToken'?: (string);
}

export interface ListJoinTokensResponse__Output {
  'tokens': (_edgeplane_cluster_v1_JoinToken__Output)[];
  'nextPageToken': (string);
}
