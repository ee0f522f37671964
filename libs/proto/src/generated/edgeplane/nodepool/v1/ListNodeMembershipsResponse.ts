// Original file: edgeplane/nodepool/v1/nodepool.proto

import type { NodeMembership as _edgeplane_nodepool_v1_NodeMembership, NodeMembership__Output as _edgeplane_nodepool_v1_NodeMembership__Output } from '../../../edgeplane/nodepool/v1/NodeMembership.js';

export interface ListNodeMembershipsResponse {
  'memberships'?: (_edgeplane_nodepool_v1_NodeMembership)[];
  'nextPageToken'?: (string);
}

export interface ListNodeMembershipsResponse__Output {
  'memberships': (_edgeplane_nodepool_v1_NodeMembership__Output)[];
  'nextPageToken': (string);
}
