// Original file: edgeplane/grid/v1/grid.proto

import type { RolloutWave as _edgeplane_grid_v1_RolloutWave, RolloutWave__Output as _edgeplane_grid_v1_RolloutWave__Output } from '../../../edgeplane/grid/v1/RolloutWave.js';

export interface Rollout {
  'generation'?: (number);
  'state'?: (string);
  'waves'?: (_edgeplane_grid_v1_RolloutWave)[];
  'currentWave'?: (number);
  'updatedUnits'?: (number);
  'totalUnits'?: (number);
  'message'?: (string);
}

export interface Rollout__Output {
  'generation': (number);
  'state': (string);
  'waves': (_edgeplane_grid_v1_RolloutWave__Output)[];
  'currentWave': (number);
  'updatedUnits': (number);
  'totalUnits': (number);
  'message': (string);
}
