// Original file: edgeplane/tunnel/v1/tunnel.proto


export interface ServiceEndpoint {
  'ip'?: (string);
  'pod'?: (string);
  'node'?: (string);
}

export interface ServiceEndpoint__Output {
  'ip': (string);
  'pod': (string);
  'node': (string);
}
