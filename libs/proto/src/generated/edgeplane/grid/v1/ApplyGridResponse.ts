// Original file: edgeplane/grid/v1/grid.proto

import type { AppliedGrid as _edgeplane_grid_v1_AppliedGrid, AppliedGrid__Output as _edgeplane_grid_v1_AppliedGrid__Output } from '../../../edgeplane/grid/v1/AppliedGrid.js';

export interface ApplyGridResponse {
  'grids'?: (_edgeplane_grid_v1_AppliedGrid)[];
}

export interface ApplyGridResponse__Output {
  'grids': (_edgeplane_grid_v1_AppliedGrid__Output)[];
}
