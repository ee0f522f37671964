// Original file: edgeplane/nodepool/v1/nodepool.proto

import type { SelectorRequirement as _edgeplane_nodepool_v1_SelectorRequirement, SelectorRequirement__Output as _edgeplane_nodepool_v1_SelectorRequirement__Output } from '../../../edgeplane/nodepool/v1/SelectorRequirement.js';

export interface LabelSelector {
  'matchLabels'?: ({[key: string]: string});
  'matchExpressions'?: (_edgeplane_nodepool_v1_SelectorRequirement)[];
}

export interface LabelSelector__Output {
  'matchLabels': ({[key: string]: string});
  'matchExpressions': (_edgeplane_nodepool_v1_SelectorRequirement__Output)[];
}
