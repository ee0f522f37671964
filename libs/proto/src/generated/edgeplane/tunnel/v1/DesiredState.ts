// Original file: edgeplane/tunnel/v1/tunnel.proto

import type { Peer as _edgeplane_tunnel_v1_Peer, Peer__Output as _edgeplane_tunnel_v1_Peer__Output } from '../../../edgeplane/tunnel/v1/Peer.js';
import type { AgentSettings as _edgeplane_tunnel_v1_AgentSettings, AgentSettings__Output as _edgeplane_tunnel_v1_AgentSettings__Output } from '../../../edgeplane/tunnel/v1/AgentSettings.js';
import type { PodSpec as _edgeplane_tunnel_v1_PodSpec, PodSpec__Output as _edgeplane_tunnel_v1_PodSpec__Output } from '../../../edgeplane/tunnel/v1/PodSpec.js';
import type { ServiceEntry as _edgeplane_tunnel_v1_ServiceEntry, ServiceEntry__Output as _edgeplane_tunnel_v1_ServiceEntry__Output } from '../../../edgeplane/tunnel/v1/ServiceEntry.js';

export interface DesiredState {
  'version'?: (string);
  'peers'?: (_edgeplane_tunnel_v1_Peer)[];
  'remoteLogin'?: (boolean);
  'settings'?: (_edgeplane_tunnel_v1_AgentSettings | null);
  'generatedAt'?: (string);
  'pods'?: (_edgeplane_tunnel_v1_PodSpec)[];
  'runtime'?: (string);
  'services'?: (_edgeplane_tunnel_v1_ServiceEntry)[];
  '_runtime'?: "runtime";
}

export interface DesiredState__Output {
  'version': (string);
  'peers': (_edgeplane_tunnel_v1_Peer__Output)[];
  'remoteLogin': (boolean);
  'settings': (_edgeplane_tunnel_v1_AgentSettings__Output | null);
  'generatedAt': (string);
  'pods': (_edgeplane_tunnel_v1_PodSpec__Output)[];
  'runtime'?: (string);
  'services': (_edgeplane_tunnel_v1_ServiceEntry__Output)[];
  '_runtime'?: "runtime";
}
