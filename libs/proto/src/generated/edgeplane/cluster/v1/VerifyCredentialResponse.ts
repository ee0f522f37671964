// Original file: edgeplane/cluster/v1/cluster.proto


export interface VerifyCredentialResponse {
  'valid'?: (boolean);
  'kind'?: (string);
  'nodeName'?: (string);
  'authorized'?: (boolean);
  'reason'?: (string);
  'serial'?: (string);
  'user'?: (string);
  'groups'?: (string)[];
}

export interface VerifyCredentialResponse__Output {
  'valid': (boolean);
  'kind': (string);
  'nodeName': (string);
  'authorized': (boolean);
  'reason': (string);
  'serial': (string);
  'user': (string);
  'groups': (string)[];
}
