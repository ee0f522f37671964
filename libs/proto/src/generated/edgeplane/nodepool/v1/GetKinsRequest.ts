// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface GetKinsRequest {
  'cluster'?: (string);
  'unit'?: (string);
}

export interface GetKinsRequest__Output {
  'cluster': (string);
  'unit': (string);
}
