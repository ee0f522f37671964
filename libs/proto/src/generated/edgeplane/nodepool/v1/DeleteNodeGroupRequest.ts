// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface DeleteNodeGroupRequest {
  'clusterId'?: (string);
  'name'?: (string);
}

export interface DeleteNodeGroupRequest__Output {
  'clusterId': (string);
  'name': (string);
}
