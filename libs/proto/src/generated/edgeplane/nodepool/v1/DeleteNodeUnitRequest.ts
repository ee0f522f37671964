// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface DeleteNodeUnitRequest {
  'cluster'?: (string);
  'name'?: (string);
}

export interface DeleteNodeUnitRequest__Output {
  'cluster': (string);
  'name': (string);
}
