// Original file: edgeplane/tunnel/v1/tunnel.proto

import type { Peer as _edgeplane_tunnel_v1_Peer, Peer__Output as _edgeplane_tunnel_v1_Peer__Output } from '../../../edgeplane/tunnel/v1/Peer.js';
import type { AgentSettings as _edgeplane_tunnel_v1_AgentSettings, AgentSettings__Output as _edgeplane_tunnel_v1_AgentSettings__Output } from '../../../edgeplane/tunnel/v1/AgentSettings.js';

export interface DesiredState {
  'version'?: (string);
  'peers'?: (_edgeplane_tunnel_v1_Peer)[];
  'remoteLogin'?: (boolean);
  'settings'?: (_edgeplane_tunnel_v1_AgentSettings | null);
  'generatedAt'?: (string);
}

export interface DesiredState__Output {
  'version': (string);
  'peers': (_edgeplane_tunnel_v1_Peer__Output)[];
  'remoteLogin': (boolean);
  'settings': (_edgeplane_tunnel_v1_AgentSettings__Output | null);
  'generatedAt': (string);
}
