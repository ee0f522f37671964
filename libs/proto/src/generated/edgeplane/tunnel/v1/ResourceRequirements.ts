// Original file: edgeplane/tunnel/v1/tunnel.proto


export interface ResourceRequirements {
  'requests'?: ({[key: string]: string});
  'limits'?: ({[key: string]: string});
}

export interface ResourceRequirements__Output {
  'requests': ({[key: string]: string});
  'limits': ({[key: string]: string});
}
