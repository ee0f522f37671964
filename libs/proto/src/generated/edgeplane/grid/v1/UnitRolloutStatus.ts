// Original file: edgeplane/grid/v1/grid.proto


export interface UnitRolloutStatus {
  'unit'?: (string);
  'state'?: (string);
}

export interface UnitRolloutStatus__Output {
  'unit': (string);
  'state': (string);
}
