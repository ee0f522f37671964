// Original file: edgeplane/nodepool/v1/nodepool.proto

import type { NodeGroup as _edgeplane_nodepool_v1_NodeGroup, NodeGroup__Output as _edgeplane_nodepool_v1_NodeGroup__Output } from '../../../edgeplane/nodepool/v1/NodeGroup.js';

export interface ListNodeGroupsResponse {
  'groups'?: (_edgeplane_nodepool_v1_NodeGroup)[];
  'nextPageToken'?: (string);
}

export interface ListNodeGroupsResponse__Output {
  'groups': (_edgeplane_nodepool_v1_NodeGroup__Output)[];
  'nextPageToken': (string);
}
