// Original file: edgeplane/cluster/v1/cluster.proto


export interface JoinToken {
  'id'?: (string);
  'clusterId'?: (string);
  'status'?: (string);
  'createdAt'?: (string);
  'expiresAt'?: (string);
  'revokedAt'?: (string);
  'containerDir'?: (string);
  'hasPreInstallScript'?: (boolean);
  'hasPostInstallScript'?: (boolean);
  'redeemedBy'?: (string)[];
  'clusterName'?: (string);
  'ttlSeconds'?: (number);
}

export interface JoinToken__Output {
  'id': (string);
  'clusterId': (string);
  'status': (string);
  'createdAt': (string);
  'expiresAt': (string);
  'revokedAt': (string);
  'containerDir': (string);
  'hasPreInstallScript': (boolean);
  'hasPostInstallScript': (boolean);
  'redeemedBy': (string)[];
  'clusterName': (string);
  'ttlSeconds': (number);
}
