// Original file: edgeplane/cluster/v1/cluster.proto


export interface LabelLayer {
  'owner'?: (string);
  'labels'?: ({[key: string]: string});
}

export interface LabelLayer__Output {
  'owner': (string);
  'labels': ({[key: string]: string});
}
