// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface GetNodeGroupRequest {
  'clusterId'?: (string);
  'name'?: (string);
}

export interface GetNodeGroupRequest__Output {
  'clusterId': (string);
  'name': (string);
}
