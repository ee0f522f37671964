// Original file: edgeplane/tunnel/v1/tunnel.proto

import type { ContainerState as _edgeplane_tunnel_v1_ContainerState, ContainerState__Output as _edgeplane_tunnel_v1_ContainerState__Output } from '../../../edgeplane/tunnel/v1/ContainerState.js';

export interface PodState {
  'uid'?: (string);
  'name'?: (string);
  'namespace'?: (string);
  'phase'?: (string);
  'ready'?: (boolean);
  'restarts'?: (number);
  'podIp'?: (string);
  'reason'?: (string);
  'message'?: (string);
  'containers'?: (_edgeplane_tunnel_v1_ContainerState)[];
}

export interface PodState__Output {
  'uid': (string);
  'name': (string);
  'namespace': (string);
  'phase': (string);
  'ready': (boolean);
  'restarts': (number);
  'podIp': (string);
  'reason': (string);
  'message': (string);
  'containers': (_edgeplane_tunnel_v1_ContainerState__Output)[];
}
