// Original file: edgeplane/nodepool/v1/nodepool.proto

import type { NodeUnitSpec as _edgeplane_nodepool_v1_NodeUnitSpec, NodeUnitSpec__Output as _edgeplane_nodepool_v1_NodeUnitSpec__Output } from '../../../edgeplane/nodepool/v1/NodeUnitSpec.js';

export interface CreateNodeUnitRequest {
  'cluster'?: (string);
  'name'?: (string);
  'spec'?: (_edgeplane_nodepool_v1_NodeUnitSpec | null);
}

export interface CreateNodeUnitRequest__Output {
  'cluster': (string);
  'name': (string);
  'spec': (_edgeplane_nodepool_v1_NodeUnitSpec__Output | null);
}
