// Original file: edgeplane/cluster/v1/cluster.proto


export interface Taint {
  'key'?: (string);
  'value'?: (string);
  'effect'?: (string);
}

export interface Taint__Output {
  'key': (string);
  'value': (string);
  'effect': (string);
}
