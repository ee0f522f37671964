// Original file: edgeplane/grid/v1/grid.proto


export interface AppliedGrid {
  'kind'?: (string);
  'name'?: (string);
  'action'?: (string);
  'generation'?: (number);
}

export interface AppliedGrid__Output {
  'kind': (string);
  'name': (string);
  'action': (string);
  'generation': (number);
}
