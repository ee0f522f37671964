// Original file: edgeplane/cluster/v1/cluster.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateJoinTokenRequest as _edgeplane_cluster_v1_CreateJoinTokenRequest, CreateJoinTokenRequest__Output as _edgeplane_cluster_v1_CreateJoinTokenRequest__Output } from '../../../edgeplane/cluster/v1/CreateJoinTokenRequest.js';
import type { CreateJoinTokenResponse as _edgeplane_cluster_v1_CreateJoinTokenResponse, CreateJoinTokenResponse__Output as _edgeplane_cluster_v1_CreateJoinTokenResponse__Output } from '../../../edgeplane/cluster/v1/CreateJoinTokenResponse.js';
import type { JoinToken as _edgeplane_cluster_v1_JoinToken, JoinToken__Output as _edgeplane_cluster_v1_JoinToken__Output } from '../../../edgeplane/cluster/v1/JoinToken.js';
import type { ListJoinTokensRequest as _edgeplane_cluster_v1_ListJoinTokensRequest, ListJoinTokensRequest__Output as _edgeplane_cluster_v1_ListJoinTokensRequest__Output } from '../../../edgeplane/cluster/v1/ListJoinTokensRequest.js';
import type { ListJoinTokensResponse as _edgeplane_cluster_v1_ListJoinTokensResponse, ListJoinTokensResponse__Output as _edgeplane_cluster_v1_ListJoinTokensResponse__Output } from '../../../edgeplane/cluster/v1/ListJoinTokensResponse.js';
import type { RedeemJoinTokenRequest as _edgeplane_cluster_v1_RedeemJoinTokenRequest, RedeemJoinTokenRequest__Output as _edgeplane_cluster_v1_RedeemJoinTokenRequest__Output } from '../../../edgeplane/cluster/v1/RedeemJoinTokenRequest.js';
import type { RedeemJoinTokenResponse as _edgeplane_cluster_v1_RedeemJoinTokenResponse, RedeemJoinTokenResponse__Output as _edgeplane_cluster_v1_RedeemJoinTokenResponse__Output } from '../../../edgeplane/cluster/v1/RedeemJoinTokenResponse.js';
import type { RevokeJoinTokenRequest as _edgeplane_cluster_v1_RevokeJoinTokenRequest, RevokeJoinTokenRequest__Output as _edgeplane_cluster_v1_RevokeJoinTokenRequest__Output } from '../../../edgeplane/cluster/v1/RevokeJoinTokenRequest.js';

export interface JoinTokenServiceClient extends grpc.Client {
  CreateJoinToken(argument: _edgeplane_cluster_v1_CreateJoinTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_CreateJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  CreateJoinToken(argument: _edgeplane_cluster_v1_CreateJoinTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_CreateJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  CreateJoinToken(argument: _edgeplane_cluster_v1_CreateJoinTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_CreateJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  CreateJoinToken(argument: _edgeplane_cluster_v1_CreateJoinTokenRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_CreateJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  createJoinToken(argument: _edgeplane_cluster_v1_CreateJoinTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_CreateJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  createJoinToken(argument: _edgeplane_cluster_v1_CreateJoinTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_CreateJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  createJoinToken(argument: _edgeplane_cluster_v1_CreateJoinTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_CreateJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  createJoinToken(argument: _edgeplane_cluster_v1_CreateJoinTokenRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_CreateJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  
  ListJoinTokens(argument: _edgeplane_cluster_v1_ListJoinTokensRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListJoinTokensResponse__Output>): grpc.ClientUnaryCall;
  ListJoinTokens(argument: _edgeplane_cluster_v1_ListJoinTokensRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListJoinTokensResponse__Output>): grpc.ClientUnaryCall;
  ListJoinTokens(argument: _edgeplane_cluster_v1_ListJoinTokensRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListJoinTokensResponse__Output>): grpc.ClientUnaryCall;
  ListJoinTokens(argument: _edgeplane_cluster_v1_ListJoinTokensRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListJoinTokensResponse__Output>): grpc.ClientUnaryCall;
  listJoinTokens(argument: _edgeplane_cluster_v1_ListJoinTokensRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListJoinTokensResponse__Output>): grpc.ClientUnaryCall;
  listJoinTokens(argument: _edgeplane_cluster_v1_ListJoinTokensRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListJoinTokensResponse__Output>): grpc.ClientUnaryCall;
  listJoinTokens(argument: _edgeplane_cluster_v1_ListJoinTokensRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListJoinTokensResponse__Output>): grpc.ClientUnaryCall;
  listJoinTokens(argument: _edgeplane_cluster_v1_ListJoinTokensRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListJoinTokensResponse__Output>): grpc.ClientUnaryCall;
  
  RedeemJoinToken(argument: _edgeplane_cluster_v1_RedeemJoinTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_RedeemJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  RedeemJoinToken(argument: _edgeplane_cluster_v1_RedeemJoinTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_RedeemJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  RedeemJoinToken(argument: _edgeplane_cluster_v1_RedeemJoinTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_RedeemJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  RedeemJoinToken(argument: _edgeplane_cluster_v1_RedeemJoinTokenRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_RedeemJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  redeemJoinToken(argument: _edgeplane_cluster_v1_RedeemJoinTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_RedeemJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  redeemJoinToken(argument: _edgeplane_cluster_v1_RedeemJoinTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_RedeemJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  redeemJoinToken(argument: _edgeplane_cluster_v1_RedeemJoinTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_RedeemJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  redeemJoinToken(argument: _edgeplane_cluster_v1_RedeemJoinTokenRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_RedeemJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  
  RevokeJoinToken(argument: _edgeplane_cluster_v1_RevokeJoinTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_JoinToken__Output>): grpc.ClientUnaryCall;
  RevokeJoinToken(argument: _edgeplane_cluster_v1_RevokeJoinTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_JoinToken__Output>): grpc.ClientUnaryCall;
  RevokeJoinToken(argument: _edgeplane_cluster_v1_RevokeJoinTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_JoinToken__Output>): grpc.ClientUnaryCall;
  RevokeJoinToken(argument: _edgeplane_cluster_v1_RevokeJoinTokenRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_JoinToken__Output>): grpc.ClientUnaryCall;
  revokeJoinToken(argument: _edgeplane_cluster_v1_RevokeJoinTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_JoinToken__Output>): grpc.ClientUnaryCall;
  revokeJoinToken(argument: _edgeplane_cluster_v1_RevokeJoinTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_JoinToken__Output>): grpc.ClientUnaryCall;
  revokeJoinToken(argument: _edgeplane_cluster_v1_RevokeJoinTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_JoinToken__Output>): grpc.ClientUnaryCall;
  revokeJoinToken(argument: _edgeplane_cluster_v1_RevokeJoinTokenRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_JoinToken__Output>): grpc.ClientUnaryCall;
  
}

export interface JoinTokenServiceHandlers extends grpc.UntypedServiceImplementation {
  CreateJoinToken: grpc.handleUnaryCall<_edgeplane_cluster_v1_CreateJoinTokenRequest__Output, _edgeplane_cluster_v1_CreateJoinTokenResponse>;
  
  ListJoinTokens: grpc.handleUnaryCall<_edgeplane_cluster_v1_ListJoinTokensRequest__Output, _edgeplane_cluster_v1_ListJoinTokensResponse>;
  
  RedeemJoinToken: grpc.handleUnaryCall<_edgeplane_cluster_v1_RedeemJoinTokenRequest__Output, _edgeplane_cluster_v1_RedeemJoinTokenResponse>;
  
  RevokeJoinToken: grpc.handleUnaryCall<_edgeplane_cluster_v1_RevokeJoinTokenRequest__Output, _edgeplane_cluster_v1_JoinToken>;
  
}

export interface JoinTokenServiceDefinition extends grpc.ServiceDefinition {
  CreateJoinToken: MethodDefinition<_edgeplane_cluster_v1_CreateJoinTokenRequest, _edgeplane_cluster_v1_CreateJoinTokenResponse, _edgeplane_cluster_v1_CreateJoinTokenRequest__Output, _edgeplane_cluster_v1_CreateJoinTokenResponse__Output>
  ListJoinTokens: MethodDefinition<_edgeplane_cluster_v1_ListJoinTokensRequest, _edgeplane_cluster_v1_ListJoinTokensResponse, _edgeplane_cluster_v1_ListJoinTokensRequest__Output, _edgeplane_cluster_v1_ListJoinTokensResponse__Output>
  RedeemJoinToken: MethodDefinition<_edgeplane_cluster_v1_RedeemJoinTokenRequest, _edgeplane_cluster_v1_RedeemJoinTokenResponse, _edgeplane_cluster_v1_RedeemJoinTokenRequest__Output, _edgeplane_cluster_v1_RedeemJoinTokenResponse__Output>
  RevokeJoinToken: MethodDefinition<_edgeplane_cluster_v1_RevokeJoinTokenRequest, _edgeplane_cluster_v1_JoinToken, _edgeplane_cluster_v1_RevokeJoinTokenRequest__Output, _edgeplane_cluster_v1_JoinToken__Output>
}
