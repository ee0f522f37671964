// Original file: edgeplane/cluster/v1/cluster.proto


export interface RemoveNodeResponse {
  'clusterId'?: (string);
  'name'?: (string);
  'machineReleased'?: (boolean);
  'revokedCredentialSerial'?: (string);
}

export interface RemoveNodeResponse__Output {
  'clusterId': (string);
  'name': (string);
  'machineReleased': (boolean);
  'revokedCredentialSerial': (string);
}
