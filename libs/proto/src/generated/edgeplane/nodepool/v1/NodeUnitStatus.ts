// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface NodeUnitStatus {
  'readyNodes'?: (string)[];
  'notReadyNodes'?: (string)[];
  'readyRate'?: (string);
  'readyRatio'?: (number | string);
}

export interface NodeUnitStatus__Output {
  'readyNodes': (string)[];
  'notReadyNodes': (string)[];
  'readyRate': (string);
  'readyRatio': (number);
}
