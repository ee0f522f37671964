// Original file: edgeplane/tunnel/v1/tunnel.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Chunk as _edgeplane_tunnel_v1_Chunk, Chunk__Output as _edgeplane_tunnel_v1_Chunk__Output } from '../../../edgeplane/tunnel/v1/Chunk.js';
import type { ListConnectionsRequest as _edgeplane_tunnel_v1_ListConnectionsRequest, ListConnectionsRequest__Output as _edgeplane_tunnel_v1_ListConnectionsRequest__Output } from '../../../edgeplane/tunnel/v1/ListConnectionsRequest.js';
import type { ListConnectionsResponse as _edgeplane_tunnel_v1_ListConnectionsResponse, ListConnectionsResponse__Output as _edgeplane_tunnel_v1_ListConnectionsResponse__Output } from '../../../edgeplane/tunnel/v1/ListConnectionsResponse.js';

export interface RemoteAccessServiceClient extends grpc.Client {
  ListConnections(argument: _edgeplane_tunnel_v1_ListConnectionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_tunnel_v1_ListConnectionsResponse__Output>): grpc.ClientUnaryCall;
  ListConnections(argument: _edgeplane_tunnel_v1_ListConnectionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_tunnel_v1_ListConnectionsResponse__Output>): grpc.ClientUnaryCall;
  ListConnections(argument: _edgeplane_tunnel_v1_ListConnectionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_tunnel_v1_ListConnectionsResponse__Output>): grpc.ClientUnaryCall;
  ListConnections(argument: _edgeplane_tunnel_v1_ListConnectionsRequest, callback: grpc.requestCallback<_edgeplane_tunnel_v1_ListConnectionsResponse__Output>): grpc.ClientUnaryCall;
  listConnections(argument: _edgeplane_tunnel_v1_ListConnectionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_tunnel_v1_ListConnectionsResponse__Output>): grpc.ClientUnaryCall;
  listConnections(argument: _edgeplane_tunnel_v1_ListConnectionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_tunnel_v1_ListConnectionsResponse__Output>): grpc.ClientUnaryCall;
  listConnections(argument: _edgeplane_tunnel_v1_ListConnectionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_tunnel_v1_ListConnectionsResponse__Output>): grpc.ClientUnaryCall;
  listConnections(argument: _edgeplane_tunnel_v1_ListConnectionsRequest, callback: grpc.requestCallback<_edgeplane_tunnel_v1_ListConnectionsResponse__Output>): grpc.ClientUnaryCall;
  
  PodExec(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_edgeplane_tunnel_v1_Chunk, _edgeplane_tunnel_v1_Chunk__Output>;
  PodExec(options?: grpc.CallOptions): grpc.ClientDuplexStream<_edgeplane_tunnel_v1_Chunk, _edgeplane_tunnel_v1_Chunk__Output>;
  podExec(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_edgeplane_tunnel_v1_Chunk, _edgeplane_tunnel_v1_Chunk__Output>;
  podExec(options?: grpc.CallOptions): grpc.ClientDuplexStream<_edgeplane_tunnel_v1_Chunk, _edgeplane_tunnel_v1_Chunk__Output>;
  
  PodLogs(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_edgeplane_tunnel_v1_Chunk, _edgeplane_tunnel_v1_Chunk__Output>;
  PodLogs(options?: grpc.CallOptions): grpc.ClientDuplexStream<_edgeplane_tunnel_v1_Chunk, _edgeplane_tunnel_v1_Chunk__Output>;
  podLogs(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_edgeplane_tunnel_v1_Chunk, _edgeplane_tunnel_v1_Chunk__Output>;
  podLogs(options?: grpc.CallOptions): grpc.ClientDuplexStream<_edgeplane_tunnel_v1_Chunk, _edgeplane_tunnel_v1_Chunk__Output>;
  
  Relay(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_edgeplane_tunnel_v1_Chunk, _edgeplane_tunnel_v1_Chunk__Output>;
  Relay(options?: grpc.CallOptions): grpc.ClientDuplexStream<_edgeplane_tunnel_v1_Chunk, _edgeplane_tunnel_v1_Chunk__Output>;
  relay(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_edgeplane_tunnel_v1_Chunk, _edgeplane_tunnel_v1_Chunk__Output>;
  relay(options?: grpc.CallOptions): grpc.ClientDuplexStream<_edgeplane_tunnel_v1_Chunk, _edgeplane_tunnel_v1_Chunk__Output>;
  
}

export interface RemoteAccessServiceHandlers extends grpc.UntypedServiceImplementation {
  ListConnections: grpc.handleUnaryCall<_edgeplane_tunnel_v1_ListConnectionsRequest__Output, _edgeplane_tunnel_v1_ListConnectionsResponse>;
  
  PodExec: grpc.handleBidiStreamingCall<_edgeplane_tunnel_v1_Chunk__Output, _edgeplane_tunnel_v1_Chunk>;
  
  PodLogs: grpc.handleBidiStreamingCall<_edgeplane_tunnel_v1_Chunk__Output, _edgeplane_tunnel_v1_Chunk>;
  
  Relay: grpc.handleBidiStreamingCall<_edgeplane_tunnel_v1_Chunk__Output, _edgeplane_tunnel_v1_Chunk>;
  
}

export interface RemoteAccessServiceDefinition extends grpc.ServiceDefinition {
  ListConnections: MethodDefinition<_edgeplane_tunnel_v1_ListConnectionsRequest, _edgeplane_tunnel_v1_ListConnectionsResponse, _edgeplane_tunnel_v1_ListConnectionsRequest__Output, _edgeplane_tunnel_v1_ListConnectionsResponse__Output>
  PodExec: MethodDefinition<_edgeplane_tunnel_v1_Chunk, _edgeplane_tunnel_v1_Chunk, _edgeplane_tunnel_v1_Chunk__Output, _edgeplane_tunnel_v1_Chunk__Output>
  PodLogs: MethodDefinition<_edgeplane_tunnel_v1_Chunk, _edgeplane_tunnel_v1_Chunk, _edgeplane_tunnel_v1_Chunk__Output, _edgeplane_tunnel_v1_Chunk__Output>
  Relay: MethodDefinition<_edgeplane_tunnel_v1_Chunk, _edgeplane_tunnel_v1_Chunk, _edgeplane_tunnel_v1_Chunk__Output, _edgeplane_tunnel_v1_Chunk__Output>
}
