// Original file: edgeplane/cluster/v1/cluster.proto


export interface NodeEvent {
  'at'?: (string);
  'type'?: (string);
  'message'?: (string);
}

export interface NodeEvent__Output {
  'at': (string);
  'type': (string);
  'message': (string);
}
