// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface KinsNode {
  'name'?: (string);
  'role'?: (string);
}

export interface KinsNode__Output {
  'name': (string);
  'role': (string);
}
