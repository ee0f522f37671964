// Original file: edgeplane/tunnel/v1/tunnel.proto


export interface Connection {
  'nodeName'?: (string);
  'replica'?: (string);
  'sessionId'?: (string);
  'connectedAt'?: (string);
  'agentVersion'?: (string);
  'ips'?: (string)[];
}

export interface Connection__Output {
  'nodeName': (string);
  'replica': (string);
  'sessionId': (string);
  'connectedAt': (string);
  'agentVersion': (string);
  'ips': (string)[];
}
