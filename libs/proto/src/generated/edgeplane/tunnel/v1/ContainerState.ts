// Original file: edgeplane/tunnel/v1/tunnel.proto


export interface ContainerState {
  'name'?: (string);
  'image'?: (string);
  'state'?: (string);
  'reason'?: (string);
  'message'?: (string);
  'exitCode'?: (number);
  'restartCount'?: (number);
  'ready'?: (boolean);
  'startedAt'?: (string);
  'finishedAt'?: (string);
}

export interface ContainerState__Output {
  'name': (string);
  'image': (string);
  'state': (string);
  'reason': (string);
  'message': (string);
  'exitCode': (number);
  'restartCount': (number);
  'ready': (boolean);
  'startedAt': (string);
  'finishedAt': (string);
}
