// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface ListNodeMembershipsRequest {
  'cluster'?: (string);
  'node'?: (string);
  'pageToken'?: (string);
  'pageSize'?: (number);
}

export interface ListNodeMembershipsRequest__Output {
  'cluster': (string);
  'node': (string);
  'pageToken': (string);
  'pageSize': (number);
}
