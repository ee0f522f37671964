// Original file: edgeplane/grid/v1/grid.proto


export interface RolloutRequest {
  'cluster'?: (string);
  'name'?: (string);
}

export interface RolloutRequest__Output {
  'cluster': (string);
  'name': (string);
}
