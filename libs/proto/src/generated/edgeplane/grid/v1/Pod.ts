// Original file: edgeplane/grid/v1/grid.proto


export interface Pod {
  'clusterId'?: (string);
  'name'?: (string);
  'grid'?: (string);
  'child'?: (string);
  'unit'?: (string);
  'node'?: (string);
  'phase'?: (string);
  'reason'?: (string);
  'revision'?: (string);
  'specYaml'?: (string);
  'updatedAt'?: (string);
  'reported'?: (boolean);
  'ready'?: (boolean);
  'failed'?: (boolean);
  'statusReason'?: (string);
  'ip'?: (string);
}

export interface Pod__Output {
  'clusterId': (string);
  'name': (string);
  'grid': (string);
  'child': (string);
  'unit': (string);
  'node': (string);
  'phase': (string);
  'reason': (string);
  'revision': (string);
  'specYaml': (string);
  'updatedAt': (string);
  'reported': (boolean);
  'ready': (boolean);
  'failed': (boolean);
  'statusReason': (string);
  'ip': (string);
}
