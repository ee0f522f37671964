// Original file: edgeplane/grid/v1/grid.proto


export interface DeleteGridRequest {
  'cluster'?: (string);
  'name'?: (string);
}

export interface DeleteGridRequest__Output {
  'cluster': (string);
  'name': (string);
}
