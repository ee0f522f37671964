// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface DemoteRequest {
  'clusterId'?: (string);
  'unit'?: (string);
}

export interface DemoteRequest__Output {
  'clusterId': (string);
  'unit': (string);
}
