// Original file: edgeplane/health/v1/health.proto


export interface SetUnitHealthCheckRequest {
  'clusterId'?: (string);
  'unit'?: (string);
  'enabled'?: (boolean);
  'actor'?: (string);
}

export interface SetUnitHealthCheckRequest__Output {
  'clusterId': (string);
  'unit': (string);
  'enabled': (boolean);
  'actor': (string);
}
