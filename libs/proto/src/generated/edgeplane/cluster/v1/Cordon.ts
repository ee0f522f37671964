// Original file: edgeplane/cluster/v1/cluster.proto


export interface Cordon {
  'holder'?: (string);
  'reason'?: (string);
  'since'?: (string);
}

export interface Cordon__Output {
  'holder': (string);
  'reason': (string);
  'since': (string);
}
