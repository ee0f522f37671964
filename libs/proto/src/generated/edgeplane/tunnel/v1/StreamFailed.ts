// Original file: edgeplane/tunnel/v1/tunnel.proto


export interface StreamFailed {
  'streamId'?: (string);
  'code'?: (string);
  'message'?: (string);
}

export interface StreamFailed__Output {
  'streamId': (string);
  'code': (string);
  'message': (string);
}
