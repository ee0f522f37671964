// Original file: edgeplane/grid/v1/grid.proto


export interface GetPodRequest {
  'cluster'?: (string);
  'name'?: (string);
}

export interface GetPodRequest__Output {
  'cluster': (string);
  'name': (string);
}
