// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface DemoteRequest {
  'cluster'?: (string);
  'unit'?: (string);
}

export interface DemoteRequest__Output {
  'cluster': (string);
  'unit': (string);
}
