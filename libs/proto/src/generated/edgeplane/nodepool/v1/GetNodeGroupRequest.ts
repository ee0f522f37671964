// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface GetNodeGroupRequest {
  'cluster'?: (string);
  'name'?: (string);
}

export interface GetNodeGroupRequest__Output {
  'cluster': (string);
  'name': (string);
}
