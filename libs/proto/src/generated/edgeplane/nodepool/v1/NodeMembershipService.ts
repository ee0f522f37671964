// Original file: edgeplane/nodepool/v1/nodepool.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ListNodeMembershipsRequest as _edgeplane_nodepool_v1_ListNodeMembershipsRequest, ListNodeMembershipsRequest__Output as _edgeplane_nodepool_v1_ListNodeMembershipsRequest__Output } from '../../../edgeplane/nodepool/v1/ListNodeMembershipsRequest.js';
import type { ListNodeMembershipsResponse as _edgeplane_nodepool_v1_ListNodeMembershipsResponse, ListNodeMembershipsResponse__Output as _edgeplane_nodepool_v1_ListNodeMembershipsResponse__Output } from '../../../edgeplane/nodepool/v1/ListNodeMembershipsResponse.js';

export interface NodeMembershipServiceClient extends grpc.Client {
  ListNodeMemberships(argument: _edgeplane_nodepool_v1_ListNodeMembershipsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ListNodeMembershipsResponse__Output>): grpc.ClientUnaryCall;
  ListNodeMemberships(argument: _edgeplane_nodepool_v1_ListNodeMembershipsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ListNodeMembershipsResponse__Output>): grpc.ClientUnaryCall;
  ListNodeMemberships(argument: _edgeplane_nodepool_v1_ListNodeMembershipsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ListNodeMembershipsResponse__Output>): grpc.ClientUnaryCall;
  ListNodeMemberships(argument: _edgeplane_nodepool_v1_ListNodeMembershipsRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ListNodeMembershipsResponse__Output>): grpc.ClientUnaryCall;
  listNodeMemberships(argument: _edgeplane_nodepool_v1_ListNodeMembershipsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ListNodeMembershipsResponse__Output>): grpc.ClientUnaryCall;
  listNodeMemberships(argument: _edgeplane_nodepool_v1_ListNodeMembershipsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ListNodeMembershipsResponse__Output>): grpc.ClientUnaryCall;
  listNodeMemberships(argument: _edgeplane_nodepool_v1_ListNodeMembershipsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ListNodeMembershipsResponse__Output>): grpc.ClientUnaryCall;
  listNodeMemberships(argument: _edgeplane_nodepool_v1_ListNodeMembershipsRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ListNodeMembershipsResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface NodeMembershipServiceHandlers extends grpc.UntypedServiceImplementation {
  ListNodeMemberships: grpc.handleUnaryCall<_edgeplane_nodepool_v1_ListNodeMembershipsRequest__Output, _edgeplane_nodepool_v1_ListNodeMembershipsResponse>;
  
}

export interface NodeMembershipServiceDefinition extends grpc.ServiceDefinition {
  ListNodeMemberships: MethodDefinition<_edgeplane_nodepool_v1_ListNodeMembershipsRequest, _edgeplane_nodepool_v1_ListNodeMembershipsResponse, _edgeplane_nodepool_v1_ListNodeMembershipsRequest__Output, _edgeplane_nodepool_v1_ListNodeMembershipsResponse__Output>
}
