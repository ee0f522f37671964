// Original file: edgeplane/nodepool/v1/nodepool.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { DemoteRequest as _edgeplane_nodepool_v1_DemoteRequest, DemoteRequest__Output as _edgeplane_nodepool_v1_DemoteRequest__Output } from '../../../edgeplane/nodepool/v1/DemoteRequest.js';
import type { GetKinsRequest as _edgeplane_nodepool_v1_GetKinsRequest, GetKinsRequest__Output as _edgeplane_nodepool_v1_GetKinsRequest__Output } from '../../../edgeplane/nodepool/v1/GetKinsRequest.js';
import type { Kins as _edgeplane_nodepool_v1_Kins, Kins__Output as _edgeplane_nodepool_v1_Kins__Output } from '../../../edgeplane/nodepool/v1/Kins.js';
import type { PromoteRequest as _edgeplane_nodepool_v1_PromoteRequest, PromoteRequest__Output as _edgeplane_nodepool_v1_PromoteRequest__Output } from '../../../edgeplane/nodepool/v1/PromoteRequest.js';
import type { ReportKinsStatusRequest as _edgeplane_nodepool_v1_ReportKinsStatusRequest, ReportKinsStatusRequest__Output as _edgeplane_nodepool_v1_ReportKinsStatusRequest__Output } from '../../../edgeplane/nodepool/v1/ReportKinsStatusRequest.js';
import type { ReportKinsStatusResponse as _edgeplane_nodepool_v1_ReportKinsStatusResponse, ReportKinsStatusResponse__Output as _edgeplane_nodepool_v1_ReportKinsStatusResponse__Output } from '../../../edgeplane/nodepool/v1/ReportKinsStatusResponse.js';
import type { SetPublicAccessRequest as _edgeplane_nodepool_v1_SetPublicAccessRequest, SetPublicAccessRequest__Output as _edgeplane_nodepool_v1_SetPublicAccessRequest__Output } from '../../../edgeplane/nodepool/v1/SetPublicAccessRequest.js';

export interface KinsServiceClient extends grpc.Client {
  Demote(argument: _edgeplane_nodepool_v1_DemoteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  Demote(argument: _edgeplane_nodepool_v1_DemoteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  Demote(argument: _edgeplane_nodepool_v1_DemoteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  Demote(argument: _edgeplane_nodepool_v1_DemoteRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  demote(argument: _edgeplane_nodepool_v1_DemoteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  demote(argument: _edgeplane_nodepool_v1_DemoteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  demote(argument: _edgeplane_nodepool_v1_DemoteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  demote(argument: _edgeplane_nodepool_v1_DemoteRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  
  GetKins(argument: _edgeplane_nodepool_v1_GetKinsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  GetKins(argument: _edgeplane_nodepool_v1_GetKinsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  GetKins(argument: _edgeplane_nodepool_v1_GetKinsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  GetKins(argument: _edgeplane_nodepool_v1_GetKinsRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  getKins(argument: _edgeplane_nodepool_v1_GetKinsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  getKins(argument: _edgeplane_nodepool_v1_GetKinsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  getKins(argument: _edgeplane_nodepool_v1_GetKinsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  getKins(argument: _edgeplane_nodepool_v1_GetKinsRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  
  Promote(argument: _edgeplane_nodepool_v1_PromoteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  Promote(argument: _edgeplane_nodepool_v1_PromoteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  Promote(argument: _edgeplane_nodepool_v1_PromoteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  Promote(argument: _edgeplane_nodepool_v1_PromoteRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  promote(argument: _edgeplane_nodepool_v1_PromoteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  promote(argument: _edgeplane_nodepool_v1_PromoteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  promote(argument: _edgeplane_nodepool_v1_PromoteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  promote(argument: _edgeplane_nodepool_v1_PromoteRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  
  ReportKinsStatus(argument: _edgeplane_nodepool_v1_ReportKinsStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ReportKinsStatusResponse__Output>): grpc.ClientUnaryCall;
  ReportKinsStatus(argument: _edgeplane_nodepool_v1_ReportKinsStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ReportKinsStatusResponse__Output>): grpc.ClientUnaryCall;
  ReportKinsStatus(argument: _edgeplane_nodepool_v1_ReportKinsStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ReportKinsStatusResponse__Output>): grpc.ClientUnaryCall;
  ReportKinsStatus(argument: _edgeplane_nodepool_v1_ReportKinsStatusRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ReportKinsStatusResponse__Output>): grpc.ClientUnaryCall;
  reportKinsStatus(argument: _edgeplane_nodepool_v1_ReportKinsStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ReportKinsStatusResponse__Output>): grpc.ClientUnaryCall;
  reportKinsStatus(argument: _edgeplane_nodepool_v1_ReportKinsStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ReportKinsStatusResponse__Output>): grpc.ClientUnaryCall;
  reportKinsStatus(argument: _edgeplane_nodepool_v1_ReportKinsStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ReportKinsStatusResponse__Output>): grpc.ClientUnaryCall;
  reportKinsStatus(argument: _edgeplane_nodepool_v1_ReportKinsStatusRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ReportKinsStatusResponse__Output>): grpc.ClientUnaryCall;
  
  SetPublicAccess(argument: _edgeplane_nodepool_v1_SetPublicAccessRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  SetPublicAccess(argument: _edgeplane_nodepool_v1_SetPublicAccessRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  SetPublicAccess(argument: _edgeplane_nodepool_v1_SetPublicAccessRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  SetPublicAccess(argument: _edgeplane_nodepool_v1_SetPublicAccessRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  setPublicAccess(argument: _edgeplane_nodepool_v1_SetPublicAccessRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  setPublicAccess(argument: _edgeplane_nodepool_v1_SetPublicAccessRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  setPublicAccess(argument: _edgeplane_nodepool_v1_SetPublicAccessRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  setPublicAccess(argument: _edgeplane_nodepool_v1_SetPublicAccessRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_Kins__Output>): grpc.ClientUnaryCall;
  
}

export interface KinsServiceHandlers extends grpc.UntypedServiceImplementation {
  Demote: grpc.handleUnaryCall<_edgeplane_nodepool_v1_DemoteRequest__Output, _edgeplane_nodepool_v1_Kins>;
  
  GetKins: grpc.handleUnaryCall<_edgeplane_nodepool_v1_GetKinsRequest__Output, _edgeplane_nodepool_v1_Kins>;
  
  Promote: grpc.handleUnaryCall<_edgeplane_nodepool_v1_PromoteRequest__Output, _edgeplane_nodepool_v1_Kins>;
  
  ReportKinsStatus: grpc.handleUnaryCall<_edgeplane_nodepool_v1_ReportKinsStatusRequest__Output, _edgeplane_nodepool_v1_ReportKinsStatusResponse>;
  
  SetPublicAccess: grpc.handleUnaryCall<_edgeplane_nodepool_v1_SetPublicAccessRequest__Output, _edgeplane_nodepool_v1_Kins>;
  
}

export interface KinsServiceDefinition extends grpc.ServiceDefinition {
  Demote: MethodDefinition<_edgeplane_nodepool_v1_DemoteRequest, _edgeplane_nodepool_v1_Kins, _edgeplane_nodepool_v1_DemoteRequest__Output, _edgeplane_nodepool_v1_Kins__Output>
  GetKins: MethodDefinition<_edgeplane_nodepool_v1_GetKinsRequest, _edgeplane_nodepool_v1_Kins, _edgeplane_nodepool_v1_GetKinsRequest__Output, _edgeplane_nodepool_v1_Kins__Output>
  Promote: MethodDefinition<_edgeplane_nodepool_v1_PromoteRequest, _edgeplane_nodepool_v1_Kins, _edgeplane_nodepool_v1_PromoteRequest__Output, _edgeplane_nodepool_v1_Kins__Output>
  ReportKinsStatus: MethodDefinition<_edgeplane_nodepool_v1_ReportKinsStatusRequest, _edgeplane_nodepool_v1_ReportKinsStatusResponse, _edgeplane_nodepool_v1_ReportKinsStatusRequest__Output, _edgeplane_nodepool_v1_ReportKinsStatusResponse__Output>
  SetPublicAccess: MethodDefinition<_edgeplane_nodepool_v1_SetPublicAccessRequest, _edgeplane_nodepool_v1_Kins, _edgeplane_nodepool_v1_SetPublicAccessRequest__Output, _edgeplane_nodepool_v1_Kins__Output>
}
