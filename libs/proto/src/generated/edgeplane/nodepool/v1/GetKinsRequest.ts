// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface GetKinsRequest {
  'clusterId'?: (string);
  'unit'?: (string);
}

export interface GetKinsRequest__Output {
  'clusterId': (string);
  'unit': (string);
}
