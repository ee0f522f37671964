// Original file: edgeplane/grid/v1/grid.proto

import type { Endpoint as _edgeplane_grid_v1_Endpoint, Endpoint__Output as _edgeplane_grid_v1_Endpoint__Output } from '../../../edgeplane/grid/v1/Endpoint.js';

export interface UnitEndpoints {
  'unit'?: (string);
  'endpoints'?: (_edgeplane_grid_v1_Endpoint)[];
}

export interface UnitEndpoints__Output {
  'unit': (string);
  'endpoints': (_edgeplane_grid_v1_Endpoint__Output)[];
}
