// Original file: edgeplane/grid/v1/grid.proto


export interface ListGridsRequest {
  'cluster'?: (string);
  'kind'?: (string);
  'pageToken'?: (string);
  'pageSize'?: (number);
}

export interface ListGridsRequest__Output {
  'cluster': (string);
  'kind': (string);
  'pageToken': (string);
  'pageSize': (number);
}
