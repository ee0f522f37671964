// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface GetNodeUnitRequest {
  'cluster'?: (string);
  'name'?: (string);
}

export interface GetNodeUnitRequest__Output {
  'cluster': (string);
  'name': (string);
}
