// Original file: edgeplane/tunnel/v1/tunnel.proto

import type { StreamKind as _edgeplane_tunnel_v1_StreamKind, StreamKind__Output as _edgeplane_tunnel_v1_StreamKind__Output } from '../../../edgeplane/tunnel/v1/StreamKind.js';
import type { PodStreamRequest as _edgeplane_tunnel_v1_PodStreamRequest, PodStreamRequest__Output as _edgeplane_tunnel_v1_PodStreamRequest__Output } from '../../../edgeplane/tunnel/v1/PodStreamRequest.js';

export interface OpenStream {
  'streamId'?: (string);
  'kind'?: (_edgeplane_tunnel_v1_StreamKind);
  'target'?: (string);
  'origin'?: (string);
  'pod'?: (_edgeplane_tunnel_v1_PodStreamRequest | null);
}

export interface OpenStream__Output {
  'streamId': (string);
  'kind': (_edgeplane_tunnel_v1_StreamKind__Output);
  'target': (string);
  'origin': (string);
  'pod': (_edgeplane_tunnel_v1_PodStreamRequest__Output | null);
}
