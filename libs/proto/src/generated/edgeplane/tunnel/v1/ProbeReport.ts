// Original file: edgeplane/tunnel/v1/tunnel.proto

import type { ProbeResult as _edgeplane_tunnel_v1_ProbeResult, ProbeResult__Output as _edgeplane_tunnel_v1_ProbeResult__Output } from '../../../edgeplane/tunnel/v1/ProbeResult.js';

export interface ProbeReport {
  'reporter'?: (string);
  'sentAt'?: (string);
  'results'?: (_edgeplane_tunnel_v1_ProbeResult)[];
}

export interface ProbeReport__Output {
  'reporter': (string);
  'sentAt': (string);
  'results': (_edgeplane_tunnel_v1_ProbeResult__Output)[];
}
