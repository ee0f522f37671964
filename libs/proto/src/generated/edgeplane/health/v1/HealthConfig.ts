// Original file: edgeplane/health/v1/health.proto


export interface HealthConfig {
  'clusterId'?: (string);
  'multiRegion'?: (boolean);
  'noEviction'?: (boolean);
  'graceSeconds'?: (number);
  'voteTtlSeconds'?: (number);
  'disabledUnits'?: (string)[];
  'changedBy'?: (string);
  'changedAt'?: (string);
}

export interface HealthConfig__Output {
  'clusterId': (string);
  'multiRegion': (boolean);
  'noEviction': (boolean);
  'graceSeconds': (number);
  'voteTtlSeconds': (number);
  'disabledUnits': (string)[];
  'changedBy': (string);
  'changedAt': (string);
}
