// Original file: edgeplane/nodepool/v1/nodepool.proto

import type { LabelSelector as _edgeplane_nodepool_v1_LabelSelector, LabelSelector__Output as _edgeplane_nodepool_v1_LabelSelector__Output } from '../../../edgeplane/nodepool/v1/LabelSelector.js';
import type { SetNode as _edgeplane_nodepool_v1_SetNode, SetNode__Output as _edgeplane_nodepool_v1_SetNode__Output } from '../../../edgeplane/nodepool/v1/SetNode.js';

export interface NodeUnitSpec {
  'type'?: (string);
  'nodes'?: (string)[];
  'selector'?: (_edgeplane_nodepool_v1_LabelSelector | null);
  'setNode'?: (_edgeplane_nodepool_v1_SetNode | null);
  'labels'?: ({[key: string]: string});
}

export interface NodeUnitSpec__Output {
  'type': (string);
  'nodes': (string)[];
  'selector': (_edgeplane_nodepool_v1_LabelSelector__Output | null);
  'setNode': (_edgeplane_nodepool_v1_SetNode__Output | null);
  'labels': ({[key: string]: string});
}
