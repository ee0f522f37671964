// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface SetPublicAccessRequest {
  'clusterId'?: (string);
  'unit'?: (string);
  'enabled'?: (boolean);
  'password'?: (string);
}

export interface SetPublicAccessRequest__Output {
  'clusterId': (string);
  'unit': (string);
  'enabled': (boolean);
  'password': (string);
}
