// Original file: edgeplane/cluster/v1/cluster.proto


export interface TierCaps {
  'name'?: (string);
  'nodes'?: (number);
  'pods'?: (number);
  'configMaps'?: (number);
  'crds'?: (number);
}

export interface TierCaps__Output {
  'name': (string);
  'nodes': (number);
  'pods': (number);
  'configMaps': (number);
  'crds': (number);
}
