// Original file: edgeplane/nodepool/v1/nodepool.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ApplyRequest as _edgeplane_nodepool_v1_ApplyRequest, ApplyRequest__Output as _edgeplane_nodepool_v1_ApplyRequest__Output } from '../../../edgeplane/nodepool/v1/ApplyRequest.js';
import type { ApplyResponse as _edgeplane_nodepool_v1_ApplyResponse, ApplyResponse__Output as _edgeplane_nodepool_v1_ApplyResponse__Output } from '../../../edgeplane/nodepool/v1/ApplyResponse.js';

export interface ApplyServiceClient extends grpc.Client {
  Apply(argument: _edgeplane_nodepool_v1_ApplyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ApplyResponse__Output>): grpc.ClientUnaryCall;
  Apply(argument: _edgeplane_nodepool_v1_ApplyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ApplyResponse__Output>): grpc.ClientUnaryCall;
  Apply(argument: _edgeplane_nodepool_v1_ApplyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ApplyResponse__Output>): grpc.ClientUnaryCall;
  Apply(argument: _edgeplane_nodepool_v1_ApplyRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ApplyResponse__Output>): grpc.ClientUnaryCall;
  apply(argument: _edgeplane_nodepool_v1_ApplyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ApplyResponse__Output>): grpc.ClientUnaryCall;
  apply(argument: _edgeplane_nodepool_v1_ApplyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ApplyResponse__Output>): grpc.ClientUnaryCall;
  apply(argument: _edgeplane_nodepool_v1_ApplyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ApplyResponse__Output>): grpc.ClientUnaryCall;
  apply(argument: _edgeplane_nodepool_v1_ApplyRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ApplyResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface ApplyServiceHandlers extends grpc.UntypedServiceImplementation {
  Apply: grpc.handleUnaryCall<_edgeplane_nodepool_v1_ApplyRequest__Output, _edgeplane_nodepool_v1_ApplyResponse>;
  
}

export interface ApplyServiceDefinition extends grpc.ServiceDefinition {
  Apply: MethodDefinition<_edgeplane_nodepool_v1_ApplyRequest, _edgeplane_nodepool_v1_ApplyResponse, _edgeplane_nodepool_v1_ApplyRequest__Output, _edgeplane_nodepool_v1_ApplyResponse__Output>
}
