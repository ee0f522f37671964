// Original file: edgeplane/tunnel/v1/tunnel.proto

import type { StreamKind as _edgeplane_tunnel_v1_StreamKind, StreamKind__Output as _edgeplane_tunnel_v1_StreamKind__Output } from '../../../edgeplane/tunnel/v1/StreamKind.js';

export interface OpenStream {
  'streamId'?: (string);
  'kind'?: (_edgeplane_tunnel_v1_StreamKind);
  'target'?: (string);
  'origin'?: (string);
}

export interface OpenStream__Output {
  'streamId': (string);
  'kind': (_edgeplane_tunnel_v1_StreamKind__Output);
  'target': (string);
  'origin': (string);
}
