// Original file: edgeplane/grid/v1/grid.proto


export interface RolloutWave {
  'index'?: (number);
  'units'?: (string)[];
  'state'?: (string);
  'name'?: (string);
  'updatedUnits'?: (number);
  'totalUnits'?: (number);
}

export interface RolloutWave__Output {
  'index': (number);
  'units': (string)[];
  'state': (string);
  'name': (string);
  'updatedUnits': (number);
  'totalUnits': (number);
}
