// Original file: edgeplane/tunnel/v1/tunnel.proto

import type { Welcome as _edgeplane_tunnel_v1_Welcome, Welcome__Output as _edgeplane_tunnel_v1_Welcome__Output } from '../../../edgeplane/tunnel/v1/Welcome.js';
import type { DesiredState as _edgeplane_tunnel_v1_DesiredState, DesiredState__Output as _edgeplane_tunnel_v1_DesiredState__Output } from '../../../edgeplane/tunnel/v1/DesiredState.js';
import type { OpenStream as _edgeplane_tunnel_v1_OpenStream, OpenStream__Output as _edgeplane_tunnel_v1_OpenStream__Output } from '../../../edgeplane/tunnel/v1/OpenStream.js';

export interface GatewayFrame {
  'welcome'?: (_edgeplane_tunnel_v1_Welcome | null);
  'desiredState'?: (_edgeplane_tunnel_v1_DesiredState | null);
  'openStream'?: (_edgeplane_tunnel_v1_OpenStream | null);
  'frame'?: "welcome"|"desiredState"|"openStream";
}

export interface GatewayFrame__Output {
  'welcome'?: (_edgeplane_tunnel_v1_Welcome__Output | null);
  'desiredState'?: (_edgeplane_tunnel_v1_DesiredState__Output | null);
  'openStream'?: (_edgeplane_tunnel_v1_OpenStream__Output | null);
  'frame'?: "welcome"|"desiredState"|"openStream";
}
