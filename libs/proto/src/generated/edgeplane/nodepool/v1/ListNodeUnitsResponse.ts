// Original file: edgeplane/nodepool/v1/nodepool.proto

import type { NodeUnit as _edgeplane_nodepool_v1_NodeUnit, NodeUnit__Output as _edgeplane_nodepool_v1_NodeUnit__Output } from '../../../edgeplane/nodepool/v1/NodeUnit.js';

export interface ListNodeUnitsResponse {
  'units'?: (_edgeplane_nodepool_v1_NodeUnit)[];
  'nextPageToken'?: (string);
}

export interface ListNodeUnitsResponse__Output {
  'units': (_edgeplane_nodepool_v1_NodeUnit__Output)[];
  'nextPageToken': (string);
}
