// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface DeleteNodeGroupRequest {
  'cluster'?: (string);
  'name'?: (string);
}

export interface DeleteNodeGroupRequest__Output {
  'cluster': (string);
  'name': (string);
}
