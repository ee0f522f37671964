// Original file: edgeplane/health/v1/health.proto


export interface Taint {
  'key'?: (string);
  'value'?: (string);
  'effect'?: (string);
}

export interface Taint__Output {
  'key': (string);
  'value': (string);
  'effect': (string);
}
