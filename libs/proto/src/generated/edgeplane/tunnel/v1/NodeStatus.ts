// Original file: edgeplane/tunnel/v1/tunnel.proto

import type { PodStatus as _edgeplane_tunnel_v1_PodStatus, PodStatus__Output as _edgeplane_tunnel_v1_PodStatus__Output } from '../../../edgeplane/tunnel/v1/PodStatus.js';

export interface NodeStatus {
  'nodeName'?: (string);
  'desiredVersion'?: (string);
  'servingCached'?: (boolean);
  'pods'?: (_edgeplane_tunnel_v1_PodStatus)[];
}

export interface NodeStatus__Output {
  'nodeName': (string);
  'desiredVersion': (string);
  'servingCached': (boolean);
  'pods': (_edgeplane_tunnel_v1_PodStatus__Output)[];
}
