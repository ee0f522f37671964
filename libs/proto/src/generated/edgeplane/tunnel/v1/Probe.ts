// Original file: edgeplane/tunnel/v1/tunnel.proto

import type { ExecAction as _edgeplane_tunnel_v1_ExecAction, ExecAction__Output as _edgeplane_tunnel_v1_ExecAction__Output } from '../../../edgeplane/tunnel/v1/ExecAction.js';
import type { HttpGetAction as _edgeplane_tunnel_v1_HttpGetAction, HttpGetAction__Output as _edgeplane_tunnel_v1_HttpGetAction__Output } from '../../../edgeplane/tunnel/v1/HttpGetAction.js';
import type { TcpSocketAction as _edgeplane_tunnel_v1_TcpSocketAction, TcpSocketAction__Output as _edgeplane_tunnel_v1_TcpSocketAction__Output } from '../../../edgeplane/tunnel/v1/TcpSocketAction.js';

export interface Probe {
  'exec'?: (_edgeplane_tunnel_v1_ExecAction | null);
  'httpGet'?: (_edgeplane_tunnel_v1_HttpGetAction | null);
  'tcpSocket'?: (_edgeplane_tunnel_v1_TcpSocketAction | null);
  'initialDelaySeconds'?: (number);
  'periodSeconds'?: (number);
  'timeoutSeconds'?: (number);
  'failureThreshold'?: (number);
  'successThreshold'?: (number);
}

export interface Probe__Output {
  'exec': (_edgeplane_tunnel_v1_ExecAction__Output | null);
  'httpGet': (_edgeplane_tunnel_v1_HttpGetAction__Output | null);
  'tcpSocket': (_edgeplane_tunnel_v1_TcpSocketAction__Output | null);
  'initialDelaySeconds': (number);
  'periodSeconds': (number);
  'timeoutSeconds': (number);
  'failureThreshold': (number);
  'successThreshold': (number);
}
