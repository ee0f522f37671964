// Original file: edgeplane/cluster/v1/cluster.proto


export interface NodeInventory {
  'arch'?: (string);
  'os'?: (string);
  'interface'?: (string);
  'ips'?: (string)[];
  'gpuModel'?: (string);
}

export interface NodeInventory__Output {
  'arch': (string);
  'os': (string);
  'interface': (string);
  'ips': (string)[];
  'gpuModel': (string);
}
