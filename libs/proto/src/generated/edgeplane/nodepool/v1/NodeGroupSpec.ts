// Original file: edgeplane/nodepool/v1/nodepool.proto

import type { LabelSelector as _edgeplane_nodepool_v1_LabelSelector, LabelSelector__Output as _edgeplane_nodepool_v1_LabelSelector__Output } from '../../../edgeplane/nodepool/v1/LabelSelector.js';

export interface NodeGroupSpec {
  'nodeUnits'?: (string)[];
  'selector'?: (_edgeplane_nodepool_v1_LabelSelector | null);
  'autoFindNodeKeys'?: (string)[];
}

export interface NodeGroupSpec__Output {
  'nodeUnits': (string)[];
  'selector': (_edgeplane_nodepool_v1_LabelSelector__Output | null);
  'autoFindNodeKeys': (string)[];
}
