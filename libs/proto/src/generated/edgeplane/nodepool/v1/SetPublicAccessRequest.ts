// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface SetPublicAccessRequest {
  'cluster'?: (string);
  'unit'?: (string);
  'enabled'?: (boolean);
  'password'?: (string);
}

export interface SetPublicAccessRequest__Output {
  'cluster': (string);
  'unit': (string);
  'enabled': (boolean);
  'password': (string);
}
