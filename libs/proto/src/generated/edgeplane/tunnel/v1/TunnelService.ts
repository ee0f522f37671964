// Original file: edgeplane/tunnel/v1/tunnel.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AgentFrame as _edgeplane_tunnel_v1_AgentFrame, AgentFrame__Output as _edgeplane_tunnel_v1_AgentFrame__Output } from '../../../edgeplane/tunnel/v1/AgentFrame.js';
import type { Chunk as _edgeplane_tunnel_v1_Chunk, Chunk__Output as _edgeplane_tunnel_v1_Chunk__Output } from '../../../edgeplane/tunnel/v1/Chunk.js';
import type { GatewayFrame as _edgeplane_tunnel_v1_GatewayFrame, GatewayFrame__Output as _edgeplane_tunnel_v1_GatewayFrame__Output } from '../../../edgeplane/tunnel/v1/GatewayFrame.js';

export interface TunnelServiceClient extends grpc.Client {
  Control(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_edgeplane_tunnel_v1_AgentFrame, _edgeplane_tunnel_v1_GatewayFrame__Output>;
  Control(options?: grpc.CallOptions): grpc.ClientDuplexStream<_edgeplane_tunnel_v1_AgentFrame, _edgeplane_tunnel_v1_GatewayFrame__Output>;
  control(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_edgeplane_tunnel_v1_AgentFrame, _edgeplane_tunnel_v1_GatewayFrame__Output>;
  control(options?: grpc.CallOptions): grpc.ClientDuplexStream<_edgeplane_tunnel_v1_AgentFrame, _edgeplane_tunnel_v1_GatewayFrame__Output>;
  
  Stream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_edgeplane_tunnel_v1_Chunk, _edgeplane_tunnel_v1_Chunk__Output>;
  Stream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_edgeplane_tunnel_v1_Chunk, _edgeplane_tunnel_v1_Chunk__Output>;
  stream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_edgeplane_tunnel_v1_Chunk, _edgeplane_tunnel_v1_Chunk__Output>;
  stream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_edgeplane_tunnel_v1_Chunk, _edgeplane_tunnel_v1_Chunk__Output>;
  
}

export interface TunnelServiceHandlers extends grpc.UntypedServiceImplementation {
  Control: grpc.handleBidiStreamingCall<_edgeplane_tunnel_v1_AgentFrame__Output, _edgeplane_tunnel_v1_GatewayFrame>;
  
  Stream: grpc.handleBidiStreamingCall<_edgeplane_tunnel_v1_Chunk__Output, _edgeplane_tunnel_v1_Chunk>;
  
}

export interface TunnelServiceDefinition extends grpc.ServiceDefinition {
  Control: MethodDefinition<_edgeplane_tunnel_v1_AgentFrame, _edgeplane_tunnel_v1_GatewayFrame, _edgeplane_tunnel_v1_AgentFrame__Output, _edgeplane_tunnel_v1_GatewayFrame__Output>
  Stream: MethodDefinition<_edgeplane_tunnel_v1_Chunk, _edgeplane_tunnel_v1_Chunk, _edgeplane_tunnel_v1_Chunk__Output, _edgeplane_tunnel_v1_Chunk__Output>
}
