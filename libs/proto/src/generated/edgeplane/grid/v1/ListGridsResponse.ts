// Original file: edgeplane/grid/v1/grid.proto

import type { Grid as _edgeplane_grid_v1_Grid, Grid__Output as _edgeplane_grid_v1_Grid__Output } from '../../../edgeplane/grid/v1/Grid.js';

export interface ListGridsResponse {
  'grids'?: (_edgeplane_grid_v1_Grid)[];
  'nextPageToken'?: (string);
}

export interface ListGridsResponse__Output {
  'grids': (_edgeplane_grid_v1_Grid__Output)[];
  'nextPageToken': (string);
}
