// Original file: edgeplane/admin/v1/admin.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ListDeadLettersRequest as _edgeplane_admin_v1_ListDeadLettersRequest, ListDeadLettersRequest__Output as _edgeplane_admin_v1_ListDeadLettersRequest__Output } from '../../../edgeplane/admin/v1/ListDeadLettersRequest.js';
import type { ListDeadLettersResponse as _edgeplane_admin_v1_ListDeadLettersResponse, ListDeadLettersResponse__Output as _edgeplane_admin_v1_ListDeadLettersResponse__Output } from '../../../edgeplane/admin/v1/ListDeadLettersResponse.js';
import type { ListParkedEventsRequest as _edgeplane_admin_v1_ListParkedEventsRequest, ListParkedEventsRequest__Output as _edgeplane_admin_v1_ListParkedEventsRequest__Output } from '../../../edgeplane/admin/v1/ListParkedEventsRequest.js';
import type { ListParkedEventsResponse as _edgeplane_admin_v1_ListParkedEventsResponse, ListParkedEventsResponse__Output as _edgeplane_admin_v1_ListParkedEventsResponse__Output } from '../../../edgeplane/admin/v1/ListParkedEventsResponse.js';
import type { ReplayDeadLettersRequest as _edgeplane_admin_v1_ReplayDeadLettersRequest, ReplayDeadLettersRequest__Output as _edgeplane_admin_v1_ReplayDeadLettersRequest__Output } from '../../../edgeplane/admin/v1/ReplayDeadLettersRequest.js';
import type { ReplayDeadLettersResponse as _edgeplane_admin_v1_ReplayDeadLettersResponse, ReplayDeadLettersResponse__Output as _edgeplane_admin_v1_ReplayDeadLettersResponse__Output } from '../../../edgeplane/admin/v1/ReplayDeadLettersResponse.js';
import type { ReplayParkedEventsRequest as _edgeplane_admin_v1_ReplayParkedEventsRequest, ReplayParkedEventsRequest__Output as _edgeplane_admin_v1_ReplayParkedEventsRequest__Output } from '../../../edgeplane/admin/v1/ReplayParkedEventsRequest.js';
import type { ReplayParkedEventsResponse as _edgeplane_admin_v1_ReplayParkedEventsResponse, ReplayParkedEventsResponse__Output as _edgeplane_admin_v1_ReplayParkedEventsResponse__Output } from '../../../edgeplane/admin/v1/ReplayParkedEventsResponse.js';

export interface AdminServiceClient extends grpc.Client {
  ListDeadLetters(argument: _edgeplane_admin_v1_ListDeadLettersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_admin_v1_ListDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  ListDeadLetters(argument: _edgeplane_admin_v1_ListDeadLettersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_admin_v1_ListDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  ListDeadLetters(argument: _edgeplane_admin_v1_ListDeadLettersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_admin_v1_ListDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  ListDeadLetters(argument: _edgeplane_admin_v1_ListDeadLettersRequest, callback: grpc.requestCallback<_edgeplane_admin_v1_ListDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  listDeadLetters(argument: _edgeplane_admin_v1_ListDeadLettersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_admin_v1_ListDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  listDeadLetters(argument: _edgeplane_admin_v1_ListDeadLettersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_admin_v1_ListDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  listDeadLetters(argument: _edgeplane_admin_v1_ListDeadLettersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_admin_v1_ListDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  listDeadLetters(argument: _edgeplane_admin_v1_ListDeadLettersRequest, callback: grpc.requestCallback<_edgeplane_admin_v1_ListDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  
  ListParkedEvents(argument: _edgeplane_admin_v1_ListParkedEventsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_admin_v1_ListParkedEventsResponse__Output>): grpc.ClientUnaryCall;
  ListParkedEvents(argument: _edgeplane_admin_v1_ListParkedEventsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_admin_v1_ListParkedEventsResponse__Output>): grpc.ClientUnaryCall;
  ListParkedEvents(argument: _edgeplane_admin_v1_ListParkedEventsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_admin_v1_ListParkedEventsResponse__Output>): grpc.ClientUnaryCall;
  ListParkedEvents(argument: _edgeplane_admin_v1_ListParkedEventsRequest, callback: grpc.requestCallback<_edgeplane_admin_v1_ListParkedEventsResponse__Output>): grpc.ClientUnaryCall;
  listParkedEvents(argument: _edgeplane_admin_v1_ListParkedEventsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_admin_v1_ListParkedEventsResponse__Output>): grpc.ClientUnaryCall;
  listParkedEvents(argument: _edgeplane_admin_v1_ListParkedEventsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_admin_v1_ListParkedEventsResponse__Output>): grpc.ClientUnaryCall;
  listParkedEvents(argument: _edgeplane_admin_v1_ListParkedEventsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_admin_v1_ListParkedEventsResponse__Output>): grpc.ClientUnaryCall;
  listParkedEvents(argument: _edgeplane_admin_v1_ListParkedEventsRequest, callback: grpc.requestCallback<_edgeplane_admin_v1_ListParkedEventsResponse__Output>): grpc.ClientUnaryCall;
  
  ReplayDeadLetters(argument: _edgeplane_admin_v1_ReplayDeadLettersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_admin_v1_ReplayDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  ReplayDeadLetters(argument: _edgeplane_admin_v1_ReplayDeadLettersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_admin_v1_ReplayDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  ReplayDeadLetters(argument: _edgeplane_admin_v1_ReplayDeadLettersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_admin_v1_ReplayDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  ReplayDeadLetters(argument: _edgeplane_admin_v1_ReplayDeadLettersRequest, callback: grpc.requestCallback<_edgeplane_admin_v1_ReplayDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  replayDeadLetters(argument: _edgeplane_admin_v1_ReplayDeadLettersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_admin_v1_ReplayDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  replayDeadLetters(argument: _edgeplane_admin_v1_ReplayDeadLettersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_admin_v1_ReplayDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  replayDeadLetters(argument: _edgeplane_admin_v1_ReplayDeadLettersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_admin_v1_ReplayDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  replayDeadLetters(argument: _edgeplane_admin_v1_ReplayDeadLettersRequest, callback: grpc.requestCallback<_edgeplane_admin_v1_ReplayDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  
  ReplayParkedEvents(argument: _edgeplane_admin_v1_ReplayParkedEventsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_admin_v1_ReplayParkedEventsResponse__Output>): grpc.ClientUnaryCall;
  ReplayParkedEvents(argument: _edgeplane_admin_v1_ReplayParkedEventsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_admin_v1_ReplayParkedEventsResponse__Output>): grpc.ClientUnaryCall;
  ReplayParkedEvents(argument: _edgeplane_admin_v1_ReplayParkedEventsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_admin_v1_ReplayParkedEventsResponse__Output>): grpc.ClientUnaryCall;
  ReplayParkedEvents(argument: _edgeplane_admin_v1_ReplayParkedEventsRequest, callback: grpc.requestCallback<_edgeplane_admin_v1_ReplayParkedEventsResponse__Output>): grpc.ClientUnaryCall;
  replayParkedEvents(argument: _edgeplane_admin_v1_ReplayParkedEventsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_admin_v1_ReplayParkedEventsResponse__Output>): grpc.ClientUnaryCall;
  replayParkedEvents(argument: _edgeplane_admin_v1_ReplayParkedEventsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_admin_v1_ReplayParkedEventsResponse__Output>): grpc.ClientUnaryCall;
  replayParkedEvents(argument: _edgeplane_admin_v1_ReplayParkedEventsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_admin_v1_ReplayParkedEventsResponse__Output>): grpc.ClientUnaryCall;
  replayParkedEvents(argument: _edgeplane_admin_v1_ReplayParkedEventsRequest, callback: grpc.requestCallback<_edgeplane_admin_v1_ReplayParkedEventsResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface AdminServiceHandlers extends grpc.UntypedServiceImplementation {
  ListDeadLetters: grpc.handleUnaryCall<_edgeplane_admin_v1_ListDeadLettersRequest__Output, _edgeplane_admin_v1_ListDeadLettersResponse>;
  
  ListParkedEvents: grpc.handleUnaryCall<_edgeplane_admin_v1_ListParkedEventsRequest__Output, _edgeplane_admin_v1_ListParkedEventsResponse>;
  
  ReplayDeadLetters: grpc.handleUnaryCall<_edgeplane_admin_v1_ReplayDeadLettersRequest__Output, _edgeplane_admin_v1_ReplayDeadLettersResponse>;
  
  ReplayParkedEvents: grpc.handleUnaryCall<_edgeplane_admin_v1_ReplayParkedEventsRequest__Output, _edgeplane_admin_v1_ReplayParkedEventsResponse>;
  
}

export interface AdminServiceDefinition extends grpc.ServiceDefinition {
  ListDeadLetters: MethodDefinition<_edgeplane_admin_v1_ListDeadLettersRequest, _edgeplane_admin_v1_ListDeadLettersResponse, _edgeplane_admin_v1_ListDeadLettersRequest__Output, _edgeplane_admin_v1_ListDeadLettersResponse__Output>
  ListParkedEvents: MethodDefinition<_edgeplane_admin_v1_ListParkedEventsRequest, _edgeplane_admin_v1_ListParkedEventsResponse, _edgeplane_admin_v1_ListParkedEventsRequest__Output, _edgeplane_admin_v1_ListParkedEventsResponse__Output>
  ReplayDeadLetters: MethodDefinition<_edgeplane_admin_v1_ReplayDeadLettersRequest, _edgeplane_admin_v1_ReplayDeadLettersResponse, _edgeplane_admin_v1_ReplayDeadLettersRequest__Output, _edgeplane_admin_v1_ReplayDeadLettersResponse__Output>
  ReplayParkedEvents: MethodDefinition<_edgeplane_admin_v1_ReplayParkedEventsRequest, _edgeplane_admin_v1_ReplayParkedEventsResponse, _edgeplane_admin_v1_ReplayParkedEventsRequest__Output, _edgeplane_admin_v1_ReplayParkedEventsResponse__Output>
}
