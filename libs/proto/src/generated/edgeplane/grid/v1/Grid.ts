// Original file: edgeplane/grid/v1/grid.proto

import type { GridChild as _edgeplane_grid_v1_GridChild, GridChild__Output as _edgeplane_grid_v1_GridChild__Output } from '../../../edgeplane/grid/v1/GridChild.js';
import type { Rollout as _edgeplane_grid_v1_Rollout, Rollout__Output as _edgeplane_grid_v1_Rollout__Output } from '../../../edgeplane/grid/v1/Rollout.js';
import type { UnitEndpoints as _edgeplane_grid_v1_UnitEndpoints, UnitEndpoints__Output as _edgeplane_grid_v1_UnitEndpoints__Output } from '../../../edgeplane/grid/v1/UnitEndpoints.js';

export interface Grid {
  'clusterId'?: (string);
  'name'?: (string);
  'kind'?: (string);
  'gridUniqKey'?: (string);
  'generation'?: (number);
  'children'?: (_edgeplane_grid_v1_GridChild)[];
  'manifestYaml'?: (string);
  'rollout'?: (_edgeplane_grid_v1_Rollout | null);
  'createdAt'?: (string);
  'updatedAt'?: (string);
  'endpoints'?: (_edgeplane_grid_v1_UnitEndpoints)[];
}

export interface Grid__Output {
  'clusterId': (string);
  'name': (string);
  'kind': (string);
  'gridUniqKey': (string);
  'generation': (number);
  'children': (_edgeplane_grid_v1_GridChild__Output)[];
  'manifestYaml': (string);
  'rollout': (_edgeplane_grid_v1_Rollout__Output | null);
  'createdAt': (string);
  'updatedAt': (string);
  'endpoints': (_edgeplane_grid_v1_UnitEndpoints__Output)[];
}
