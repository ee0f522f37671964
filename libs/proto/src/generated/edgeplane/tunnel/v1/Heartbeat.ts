// Original file: edgeplane/tunnel/v1/tunnel.proto


export interface Heartbeat {
  'nodeName'?: (string);
  'seq'?: (number);
  'sentAt'?: (string);
}

export interface Heartbeat__Output {
  'nodeName': (string);
  'seq': (number);
  'sentAt': (string);
}
