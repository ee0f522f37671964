// Original file: edgeplane/tunnel/v1/tunnel.proto

import type { PodState as _edgeplane_tunnel_v1_PodState, PodState__Output as _edgeplane_tunnel_v1_PodState__Output } from '../../../edgeplane/tunnel/v1/PodState.js';
import type { NodeResources as _edgeplane_tunnel_v1_NodeResources, NodeResources__Output as _edgeplane_tunnel_v1_NodeResources__Output } from '../../../edgeplane/tunnel/v1/NodeResources.js';

export interface PodStatusReport {
  'nodeName'?: (string);
  'sentAt'?: (string);
  'pods'?: (_edgeplane_tunnel_v1_PodState)[];
  'desiredVersion'?: (string);
  'runtime'?: (string);
  'allocatable'?: (_edgeplane_tunnel_v1_NodeResources | null);
}

export interface PodStatusReport__Output {
  'nodeName': (string);
  'sentAt': (string);
  'pods': (_edgeplane_tunnel_v1_PodState__Output)[];
  'desiredVersion': (string);
  'runtime': (string);
  'allocatable': (_edgeplane_tunnel_v1_NodeResources__Output | null);
}
