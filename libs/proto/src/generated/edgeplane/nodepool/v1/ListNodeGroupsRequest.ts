// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface ListNodeGroupsRequest {
  'cluster'?: (string);
  'pageToken'?: (string);
  'pageSize'?: (number);
}

export interface ListNodeGroupsRequest__Output {
  'cluster': (string);
  'pageToken': (string);
  'pageSize': (number);
}
