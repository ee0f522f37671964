// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface ListNodeGroupsRequest {
  'clusterId'?: (string);
  'pageToken'?: (string);
  'pageSize'?: (number);
}

export interface ListNodeGroupsRequest__Output {
  'clusterId': (string);
  'pageToken': (string);
  'pageSize': (number);
}
