// Original file: edgeplane/tunnel/v1/tunnel.proto


export interface HttpGetAction {
  'path'?: (string);
  'port'?: (number);
}

export interface HttpGetAction__Output {
  'path': (string);
  'port': (number);
}
