// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface GetUnitStatusRequest {
  'cluster'?: (string);
  'name'?: (string);
}

export interface GetUnitStatusRequest__Output {
  'cluster': (string);
  'name': (string);
}
