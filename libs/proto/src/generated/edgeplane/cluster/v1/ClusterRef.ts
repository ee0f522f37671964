// Original file: edgeplane/cluster/v1/cluster.proto


export interface ClusterRef {
  'id'?: (string);
  'name'?: (string);
  'ref'?: "id"|"name";
}

export interface ClusterRef__Output {
  'id'?: (string);
  'name'?: (string);
  'ref'?: "id"|"name";
}
