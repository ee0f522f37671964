// Original file: edgeplane/grid/v1/grid.proto


export interface Endpoint {
  'pod'?: (string);
  'node'?: (string);
  'ip'?: (string);
}

export interface Endpoint__Output {
  'pod': (string);
  'node': (string);
  'ip': (string);
}
