// Original file: edgeplane/tunnel/v1/tunnel.proto


export interface ProbeResult {
  'peer'?: (string);
  'healthy'?: (boolean);
  'probedAt'?: (string);
  'latencyMs'?: (number);
}

export interface ProbeResult__Output {
  'peer': (string);
  'healthy': (boolean);
  'probedAt': (string);
  'latencyMs': (number);
}
