// Original file: edgeplane/tunnel/v1/tunnel.proto


export interface Hello {
  'nodeName'?: (string);
  'agentVersion'?: (string);
  'ips'?: (string)[];
  'probePort'?: (number);
  'desiredVersion'?: (string);
  'proxyPort'?: (number);
}

export interface Hello__Output {
  'nodeName': (string);
  'agentVersion': (string);
  'ips': (string)[];
  'probePort': (number);
  'desiredVersion': (string);
  'proxyPort': (number);
}
