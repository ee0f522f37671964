// Original file: edgeplane/tunnel/v1/tunnel.proto


export interface NodeResources {
  'cpuMilli'?: (number);
  'memoryMib'?: (number);
  'pods'?: (number);
}

export interface NodeResources__Output {
  'cpuMilli': (number);
  'memoryMib': (number);
  'pods': (number);
}
