// Original file: edgeplane/cluster/v1/cluster.proto


export interface AccessState {
  'publicAccess'?: (boolean);
  'privateAccess'?: (boolean);
  'privateSubnetId'?: (string);
}

export interface AccessState__Output {
  'publicAccess': (boolean);
  'privateAccess': (boolean);
  'privateSubnetId': (string);
}
