// Original file: edgeplane/grid/v1/grid.proto

import type { RolloutWave as _edgeplane_grid_v1_RolloutWave, RolloutWave__Output as _edgeplane_grid_v1_RolloutWave__Output } from '../../../edgeplane/grid/v1/RolloutWave.js';
import type { UnitRolloutStatus as _edgeplane_grid_v1_UnitRolloutStatus, UnitRolloutStatus__Output as _edgeplane_grid_v1_UnitRolloutStatus__Output } from '../../../edgeplane/grid/v1/UnitRolloutStatus.js';

export interface Rollout {
  'generation'?: (number);
  'state'?: (string);
  'waves'?: (_edgeplane_grid_v1_RolloutWave)[];
  'currentWave'?: (number);
  'updatedUnits'?: (number);
  'totalUnits'?: (number);
  'message'?: (string);
  'units'?: (_edgeplane_grid_v1_UnitRolloutStatus)[];
  'undo'?: (boolean);
  'fromGeneration'?: (number);
  'haltedUnit'?: (string);
  'haltedPod'?: (string);
  'haltedReason'?: (string);
}

export interface Rollout__Output {
  'generation': (number);
  'state': (string);
  'waves': (_edgeplane_grid_v1_RolloutWave__Output)[];
  'currentWave': (number);
  'updatedUnits': (number);
  'totalUnits': (number);
  'message': (string);
  'units': (_edgeplane_grid_v1_UnitRolloutStatus__Output)[];
  'undo': (boolean);
  'fromGeneration': (number);
  'haltedUnit': (string);
  'haltedPod': (string);
  'haltedReason': (string);
}
