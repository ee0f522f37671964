// Original file: edgeplane/health/v1/health.proto


export interface GetConfigRequest {
  'clusterId'?: (string);
}

export interface GetConfigRequest__Output {
  'clusterId': (string);
}
