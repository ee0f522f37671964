// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface DeleteNodeUnitRequest {
  'clusterId'?: (string);
  'name'?: (string);
}

export interface DeleteNodeUnitRequest__Output {
  'clusterId': (string);
  'name': (string);
}
