// Original file: edgeplane/cluster/v1/cluster.proto


export interface Usage {
  'nodes'?: (number);
  'pods'?: (number);
  'configMaps'?: (number);
  'crds'?: (number);
}

export interface Usage__Output {
  'nodes': (number);
  'pods': (number);
  'configMaps': (number);
  'crds': (number);
}
