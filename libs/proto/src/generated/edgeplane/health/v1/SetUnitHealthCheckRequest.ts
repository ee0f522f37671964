// Original file: edgeplane/health/v1/health.proto


export interface SetUnitHealthCheckRequest {
  'cluster'?: (string);
  'unit'?: (string);
  'enabled'?: (boolean);
  'actor'?: (string);
}

export interface SetUnitHealthCheckRequest__Output {
  'cluster': (string);
  'unit': (string);
  'enabled': (boolean);
  'actor': (string);
}
