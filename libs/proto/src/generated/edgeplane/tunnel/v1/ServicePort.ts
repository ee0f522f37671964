// Original file: edgeplane/tunnel/v1/tunnel.proto


export interface ServicePort {
  'name'?: (string);
  'port'?: (number);
  'targetPort'?: (number);
  'protocol'?: (string);
}

export interface ServicePort__Output {
  'name': (string);
  'port': (number);
  'targetPort': (number);
  'protocol': (string);
}
