// Original file: edgeplane/cluster/v1/cluster.proto


export interface UserCredential {
  'serial'?: (string);
  'fingerprint'?: (string);
  'user'?: (string);
  'role'?: (string);
  'groups'?: (string)[];
  'notBefore'?: (string);
  'notAfter'?: (string);
  'issuedAt'?: (string);
}

export interface UserCredential__Output {
  'serial': (string);
  'fingerprint': (string);
  'user': (string);
  'role': (string);
  'groups': (string)[];
  'notBefore': (string);
  'notAfter': (string);
  'issuedAt': (string);
}
