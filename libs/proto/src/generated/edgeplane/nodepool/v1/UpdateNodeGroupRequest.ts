// Original file: edgeplane/nodepool/v1/nodepool.proto

import type { NodeGroupSpec as _edgeplane_nodepool_v1_NodeGroupSpec, NodeGroupSpec__Output as _edgeplane_nodepool_v1_NodeGroupSpec__Output } from '../../../edgeplane/nodepool/v1/NodeGroupSpec.js';

export interface UpdateNodeGroupRequest {
  'cluster'?: (string);
  'name'?: (string);
  'spec'?: (_edgeplane_nodepool_v1_NodeGroupSpec | null);
}

export interface UpdateNodeGroupRequest__Output {
  'cluster': (string);
  'name': (string);
  'spec': (_edgeplane_nodepool_v1_NodeGroupSpec__Output | null);
}
