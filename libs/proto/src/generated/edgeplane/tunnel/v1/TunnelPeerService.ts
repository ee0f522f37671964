// Original file: edgeplane/tunnel/v1/tunnel.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Chunk as _edgeplane_tunnel_v1_Chunk, Chunk__Output as _edgeplane_tunnel_v1_Chunk__Output } from '../../../edgeplane/tunnel/v1/Chunk.js';

export interface TunnelPeerServiceClient extends grpc.Client {
  Forward(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_edgeplane_tunnel_v1_Chunk, _edgeplane_tunnel_v1_Chunk__Output>;
  Forward(options?: grpc.CallOptions): grpc.ClientDuplexStream<_edgeplane_tunnel_v1_Chunk, _edgeplane_tunnel_v1_Chunk__Output>;
  forward(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_edgeplane_tunnel_v1_Chunk, _edgeplane_tunnel_v1_Chunk__Output>;
  forward(options?: grpc.CallOptions): grpc.ClientDuplexStream<_edgeplane_tunnel_v1_Chunk, _edgeplane_tunnel_v1_Chunk__Output>;
  
}

export interface TunnelPeerServiceHandlers extends grpc.UntypedServiceImplementation {
  Forward: grpc.handleBidiStreamingCall<_edgeplane_tunnel_v1_Chunk__Output, _edgeplane_tunnel_v1_Chunk>;
  
}

export interface TunnelPeerServiceDefinition extends grpc.ServiceDefinition {
  Forward: MethodDefinition<_edgeplane_tunnel_v1_Chunk, _edgeplane_tunnel_v1_Chunk, _edgeplane_tunnel_v1_Chunk__Output, _edgeplane_tunnel_v1_Chunk__Output>
}
