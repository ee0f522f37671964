// Original file: edgeplane/grid/v1/grid.proto

import type { Pod as _edgeplane_grid_v1_Pod, Pod__Output as _edgeplane_grid_v1_Pod__Output } from '../../../edgeplane/grid/v1/Pod.js';

export interface ListPodsResponse {
  'pods'?: (_edgeplane_grid_v1_Pod)[];
  'nextPageToken'?: (string);
}

export interface ListPodsResponse__Output {
  'pods': (_edgeplane_grid_v1_Pod__Output)[];
  'nextPageToken': (string);
}
