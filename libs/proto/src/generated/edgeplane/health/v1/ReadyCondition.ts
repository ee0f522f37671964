// Original file: edgeplane/health/v1/health.proto


export interface ReadyCondition {
  'status'?: (string);
  'reason'?: (string);
  'message'?: (string);
}

export interface ReadyCondition__Output {
  'status': (string);
  'reason': (string);
  'message': (string);
}
