// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface GetUnitStatusRequest {
  'clusterId'?: (string);
  'name'?: (string);
}

export interface GetUnitStatusRequest__Output {
  'clusterId': (string);
  'name': (string);
}
