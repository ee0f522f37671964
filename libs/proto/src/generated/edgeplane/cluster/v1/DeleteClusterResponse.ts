// Original file: edgeplane/cluster/v1/cluster.proto


export interface DeleteClusterResponse {
  'clusterId'?: (string);
  'revokedNodeIdentities'?: (string)[];
  'revokedAdminSerial'?: (string);
}

export interface DeleteClusterResponse__Output {
  'clusterId': (string);
  'revokedNodeIdentities': (string)[];
  'revokedAdminSerial': (string);
}
