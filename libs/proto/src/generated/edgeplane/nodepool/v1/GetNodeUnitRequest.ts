// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface GetNodeUnitRequest {
  'clusterId'?: (string);
  'name'?: (string);
}

export interface GetNodeUnitRequest__Output {
  'clusterId': (string);
  'name': (string);
}
