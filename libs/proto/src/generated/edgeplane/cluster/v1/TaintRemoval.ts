// Original file: edgeplane/cluster/v1/cluster.proto


export interface TaintRemoval {
  'key'?: (string);
  'effect'?: (string);
}

export interface TaintRemoval__Output {
  'key': (string);
  'effect': (string);
}
