// Original file: edgeplane/health/v1/health.proto


export interface GetConfigRequest {
  'cluster'?: (string);
}

export interface GetConfigRequest__Output {
  'cluster': (string);
}
