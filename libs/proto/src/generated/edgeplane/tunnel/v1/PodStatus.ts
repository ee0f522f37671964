// Original file: edgeplane/tunnel/v1/tunnel.proto


export interface PodStatus {
  'namespace'?: (string);
  'name'?: (string);
  'phase'?: (string);
}

export interface PodStatus__Output {
  'namespace': (string);
  'name': (string);
  'phase': (string);
}
