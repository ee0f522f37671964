// Original file: edgeplane/nodepool/v1/nodepool.proto


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
