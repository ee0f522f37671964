// Original file: edgeplane/grid/v1/grid.proto


export interface GetGridRequest {
  'cluster'?: (string);
  'name'?: (string);
}

export interface GetGridRequest__Output {
  'cluster': (string);
  'name': (string);
}
