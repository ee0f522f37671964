// Original file: edgeplane/nodepool/v1/nodepool.proto

import type { Taint as _edgeplane_nodepool_v1_Taint, Taint__Output as _edgeplane_nodepool_v1_Taint__Output } from '../../../edgeplane/nodepool/v1/Taint.js';

export interface NodeMembership {
  'clusterId'?: (string);
  'node'?: (string);
  'units'?: (string)[];
  'groups'?: ({[key: string]: string});
  'labels'?: ({[key: string]: string});
  'annotations'?: ({[key: string]: string});
  'taints'?: (_edgeplane_nodepool_v1_Taint)[];
}

export interface NodeMembership__Output {
  'clusterId': (string);
  'node': (string);
  'units': (string)[];
  'groups': ({[key: string]: string});
  'labels': ({[key: string]: string});
  'annotations': ({[key: string]: string});
  'taints': (_edgeplane_nodepool_v1_Taint__Output)[];
}
