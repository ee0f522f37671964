// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface PortRange {
  'from'?: (number);
  'to'?: (number);
}

export interface PortRange__Output {
  'from': (number);
  'to': (number);
}
