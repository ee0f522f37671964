// Original file: edgeplane/tunnel/v1/tunnel.proto

import type { AgentSettings as _edgeplane_tunnel_v1_AgentSettings, AgentSettings__Output as _edgeplane_tunnel_v1_AgentSettings__Output } from '../../../edgeplane/tunnel/v1/AgentSettings.js';

export interface Welcome {
  'nodeName'?: (string);
  'clusterId'?: (string);
  'replica'?: (string);
  'settings'?: (_edgeplane_tunnel_v1_AgentSettings | null);
}

export interface Welcome__Output {
  'nodeName': (string);
  'clusterId': (string);
  'replica': (string);
  'settings': (_edgeplane_tunnel_v1_AgentSettings__Output | null);
}
