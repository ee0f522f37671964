// Original file: edgeplane/tunnel/v1/tunnel.proto


export interface ContainerPort {
  'containerPort'?: (number);
  'hostPort'?: (number);
  'protocol'?: (string);
  'name'?: (string);
}

export interface ContainerPort__Output {
  'containerPort': (number);
  'hostPort': (number);
  'protocol': (string);
  'name': (string);
}
