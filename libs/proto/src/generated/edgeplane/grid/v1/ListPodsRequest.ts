// Original file: edgeplane/grid/v1/grid.proto


export interface ListPodsRequest {
  'cluster'?: (string);
  'grid'?: (string);
  'unit'?: (string);
  'node'?: (string);
  'pageToken'?: (string);
  'pageSize'?: (number);
}

export interface ListPodsRequest__Output {
  'cluster': (string);
  'grid': (string);
  'unit': (string);
  'node': (string);
  'pageToken': (string);
  'pageSize': (number);
}
