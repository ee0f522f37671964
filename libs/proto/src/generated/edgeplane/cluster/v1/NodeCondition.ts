// Original file: edgeplane/cluster/v1/cluster.proto


export interface NodeCondition {
  'type'?: (string);
  'status'?: (string);
  'reason'?: (string);
  'message'?: (string);
  'lastTransitionAt'?: (string);
}

export interface NodeCondition__Output {
  'type': (string);
  'status': (string);
  'reason': (string);
  'message': (string);
  'lastTransitionAt': (string);
}
