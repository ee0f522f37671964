// Original file: edgeplane/tunnel/v1/tunnel.proto

import type { Hello as _edgeplane_tunnel_v1_Hello, Hello__Output as _edgeplane_tunnel_v1_Hello__Output } from '../../../edgeplane/tunnel/v1/Hello.js';
import type { Heartbeat as _edgeplane_tunnel_v1_Heartbeat, Heartbeat__Output as _edgeplane_tunnel_v1_Heartbeat__Output } from '../../../edgeplane/tunnel/v1/Heartbeat.js';
import type { ProbeReport as _edgeplane_tunnel_v1_ProbeReport, ProbeReport__Output as _edgeplane_tunnel_v1_ProbeReport__Output } from '../../../edgeplane/tunnel/v1/ProbeReport.js';
import type { NodeStatus as _edgeplane_tunnel_v1_NodeStatus, NodeStatus__Output as _edgeplane_tunnel_v1_NodeStatus__Output } from '../../../edgeplane/tunnel/v1/NodeStatus.js';
import type { StreamFailed as _edgeplane_tunnel_v1_StreamFailed, StreamFailed__Output as _edgeplane_tunnel_v1_StreamFailed__Output } from '../../../edgeplane/tunnel/v1/StreamFailed.js';
import type { PodStatusReport as _edgeplane_tunnel_v1_PodStatusReport, PodStatusReport__Output as _edgeplane_tunnel_v1_PodStatusReport__Output } from '../../../edgeplane/tunnel/v1/PodStatusReport.js';

export interface AgentFrame {
  'hello'?: (_edgeplane_tunnel_v1_Hello | null);
  'heartbeat'?: (_edgeplane_tunnel_v1_Heartbeat | null);
  'probeReport'?: (_edgeplane_tunnel_v1_ProbeReport | null);
  'nodeStatus'?: (_edgeplane_tunnel_v1_NodeStatus | null);
  'streamFailed'?: (_edgeplane_tunnel_v1_StreamFailed | null);
  'podStatusReport'?: (_edgeplane_tunnel_v1_PodStatusReport | null);
  'frame'?: "hello"|"heartbeat"|"probeReport"|"nodeStatus"|"streamFailed"|"podStatusReport";
}

export interface AgentFrame__Output {
  'hello'?: (_edgeplane_tunnel_v1_Hello__Output | null);
  'heartbeat'?: (_edgeplane_tunnel_v1_Heartbeat__Output | null);
  'probeReport'?: (_edgeplane_tunnel_v1_ProbeReport__Output | null);
  'nodeStatus'?: (_edgeplane_tunnel_v1_NodeStatus__Output | null);
  'streamFailed'?: (_edgeplane_tunnel_v1_StreamFailed__Output | null);
  'podStatusReport'?: (_edgeplane_tunnel_v1_PodStatusReport__Output | null);
  'frame'?: "hello"|"heartbeat"|"probeReport"|"nodeStatus"|"streamFailed"|"podStatusReport";
}
