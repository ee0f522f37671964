// Original file: edgeplane/health/v1/health.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ExplainNodeRequest as _edgeplane_health_v1_ExplainNodeRequest, ExplainNodeRequest__Output as _edgeplane_health_v1_ExplainNodeRequest__Output } from '../../../edgeplane/health/v1/ExplainNodeRequest.js';
import type { GetConfigRequest as _edgeplane_health_v1_GetConfigRequest, GetConfigRequest__Output as _edgeplane_health_v1_GetConfigRequest__Output } from '../../../edgeplane/health/v1/GetConfigRequest.js';
import type { HealthConfig as _edgeplane_health_v1_HealthConfig, HealthConfig__Output as _edgeplane_health_v1_HealthConfig__Output } from '../../../edgeplane/health/v1/HealthConfig.js';
import type { ListVerdictsRequest as _edgeplane_health_v1_ListVerdictsRequest, ListVerdictsRequest__Output as _edgeplane_health_v1_ListVerdictsRequest__Output } from '../../../edgeplane/health/v1/ListVerdictsRequest.js';
import type { ListVerdictsResponse as _edgeplane_health_v1_ListVerdictsResponse, ListVerdictsResponse__Output as _edgeplane_health_v1_ListVerdictsResponse__Output } from '../../../edgeplane/health/v1/ListVerdictsResponse.js';
import type { NodeExplanation as _edgeplane_health_v1_NodeExplanation, NodeExplanation__Output as _edgeplane_health_v1_NodeExplanation__Output } from '../../../edgeplane/health/v1/NodeExplanation.js';
import type { SetConfigRequest as _edgeplane_health_v1_SetConfigRequest, SetConfigRequest__Output as _edgeplane_health_v1_SetConfigRequest__Output } from '../../../edgeplane/health/v1/SetConfigRequest.js';
import type { SetUnitHealthCheckRequest as _edgeplane_health_v1_SetUnitHealthCheckRequest, SetUnitHealthCheckRequest__Output as _edgeplane_health_v1_SetUnitHealthCheckRequest__Output } from '../../../edgeplane/health/v1/SetUnitHealthCheckRequest.js';

export interface HealthServiceClient extends grpc.Client {
  ExplainNode(argument: _edgeplane_health_v1_ExplainNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_health_v1_NodeExplanation__Output>): grpc.ClientUnaryCall;
  ExplainNode(argument: _edgeplane_health_v1_ExplainNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_health_v1_NodeExplanation__Output>): grpc.ClientUnaryCall;
  ExplainNode(argument: _edgeplane_health_v1_ExplainNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_health_v1_NodeExplanation__Output>): grpc.ClientUnaryCall;
  ExplainNode(argument: _edgeplane_health_v1_ExplainNodeRequest, callback: grpc.requestCallback<_edgeplane_health_v1_NodeExplanation__Output>): grpc.ClientUnaryCall;
  explainNode(argument: _edgeplane_health_v1_ExplainNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_health_v1_NodeExplanation__Output>): grpc.ClientUnaryCall;
  explainNode(argument: _edgeplane_health_v1_ExplainNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_health_v1_NodeExplanation__Output>): grpc.ClientUnaryCall;
  explainNode(argument: _edgeplane_health_v1_ExplainNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_health_v1_NodeExplanation__Output>): grpc.ClientUnaryCall;
  explainNode(argument: _edgeplane_health_v1_ExplainNodeRequest, callback: grpc.requestCallback<_edgeplane_health_v1_NodeExplanation__Output>): grpc.ClientUnaryCall;
  
  GetConfig(argument: _edgeplane_health_v1_GetConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_health_v1_HealthConfig__Output>): grpc.ClientUnaryCall;
  GetConfig(argument: _edgeplane_health_v1_GetConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_health_v1_HealthConfig__Output>): grpc.ClientUnaryCall;
  GetConfig(argument: _edgeplane_health_v1_GetConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_health_v1_HealthConfig__Output>): grpc.ClientUnaryCall;
  GetConfig(argument: _edgeplane_health_v1_GetConfigRequest, callback: grpc.requestCallback<_edgeplane_health_v1_HealthConfig__Output>): grpc.ClientUnaryCall;
  getConfig(argument: _edgeplane_health_v1_GetConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_health_v1_HealthConfig__Output>): grpc.ClientUnaryCall;
  getConfig(argument: _edgeplane_health_v1_GetConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_health_v1_HealthConfig__Output>): grpc.ClientUnaryCall;
  getConfig(argument: _edgeplane_health_v1_GetConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_health_v1_HealthConfig__Output>): grpc.ClientUnaryCall;
  getConfig(argument: _edgeplane_health_v1_GetConfigRequest, callback: grpc.requestCallback<_edgeplane_health_v1_HealthConfig__Output>): grpc.ClientUnaryCall;
  
  ListVerdicts(argument: _edgeplane_health_v1_ListVerdictsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_health_v1_ListVerdictsResponse__Output>): grpc.ClientUnaryCall;
  ListVerdicts(argument: _edgeplane_health_v1_ListVerdictsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_health_v1_ListVerdictsResponse__Output>): grpc.ClientUnaryCall;
  ListVerdicts(argument: _edgeplane_health_v1_ListVerdictsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_health_v1_ListVerdictsResponse__Output>): grpc.ClientUnaryCall;
  ListVerdicts(argument: _edgeplane_health_v1_ListVerdictsRequest, callback: grpc.requestCallback<_edgeplane_health_v1_ListVerdictsResponse__Output>): grpc.ClientUnaryCall;
  listVerdicts(argument: _edgeplane_health_v1_ListVerdictsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_health_v1_ListVerdictsResponse__Output>): grpc.ClientUnaryCall;
  listVerdicts(argument: _edgeplane_health_v1_ListVerdictsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_health_v1_ListVerdictsResponse__Output>): grpc.ClientUnaryCall;
  listVerdicts(argument: _edgeplane_health_v1_ListVerdictsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_health_v1_ListVerdictsResponse__Output>): grpc.ClientUnaryCall;
  listVerdicts(argument: _edgeplane_health_v1_ListVerdictsRequest, callback: grpc.requestCallback<_edgeplane_health_v1_ListVerdictsResponse__Output>): grpc.ClientUnaryCall;
  
  SetConfig(argument: _edgeplane_health_v1_SetConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_health_v1_HealthConfig__Output>): grpc.ClientUnaryCall;
  SetConfig(argument: _edgeplane_health_v1_SetConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_health_v1_HealthConfig__Output>): grpc.ClientUnaryCall;
  SetConfig(argument: _edgeplane_health_v1_SetConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_health_v1_HealthConfig__Output>): grpc.ClientUnaryCall;
  SetConfig(argument: _edgeplane_health_v1_SetConfigRequest, callback: grpc.requestCallback<_edgeplane_health_v1_HealthConfig__Output>): grpc.ClientUnaryCall;
  setConfig(argument: _edgeplane_health_v1_SetConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_health_v1_HealthConfig__Output>): grpc.ClientUnaryCall;
  setConfig(argument: _edgeplane_health_v1_SetConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_health_v1_HealthConfig__Output>): grpc.ClientUnaryCall;
  setConfig(argument: _edgeplane_health_v1_SetConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_health_v1_HealthConfig__Output>): grpc.ClientUnaryCall;
  setConfig(argument: _edgeplane_health_v1_SetConfigRequest, callback: grpc.requestCallback<_edgeplane_health_v1_HealthConfig__Output>): grpc.ClientUnaryCall;
  
  SetUnitHealthCheck(argument: _edgeplane_health_v1_SetUnitHealthCheckRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_health_v1_HealthConfig__Output>): grpc.ClientUnaryCall;
  SetUnitHealthCheck(argument: _edgeplane_health_v1_SetUnitHealthCheckRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_health_v1_HealthConfig__Output>): grpc.ClientUnaryCall;
  SetUnitHealthCheck(argument: _edgeplane_health_v1_SetUnitHealthCheckRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_health_v1_HealthConfig__Output>): grpc.ClientUnaryCall;
  SetUnitHealthCheck(argument: _edgeplane_health_v1_SetUnitHealthCheckRequest, callback: grpc.requestCallback<_edgeplane_health_v1_HealthConfig__Output>): grpc.ClientUnaryCall;
  setUnitHealthCheck(argument: _edgeplane_health_v1_SetUnitHealthCheckRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_health_v1_HealthConfig__Output>): grpc.ClientUnaryCall;
  setUnitHealthCheck(argument: _edgeplane_health_v1_SetUnitHealthCheckRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_health_v1_HealthConfig__Output>): grpc.ClientUnaryCall;
  setUnitHealthCheck(argument: _edgeplane_health_v1_SetUnitHealthCheckRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_health_v1_HealthConfig__Output>): grpc.ClientUnaryCall;
  setUnitHealthCheck(argument: _edgeplane_health_v1_SetUnitHealthCheckRequest, callback: grpc.requestCallback<_edgeplane_health_v1_HealthConfig__Output>): grpc.ClientUnaryCall;
  
}

export interface HealthServiceHandlers extends grpc.UntypedServiceImplementation {
  ExplainNode: grpc.handleUnaryCall<_edgeplane_health_v1_ExplainNodeRequest__Output, _edgeplane_health_v1_NodeExplanation>;
  
  GetConfig: grpc.handleUnaryCall<_edgeplane_health_v1_GetConfigRequest__Output, _edgeplane_health_v1_HealthConfig>;
  
  ListVerdicts: grpc.handleUnaryCall<_edgeplane_health_v1_ListVerdictsRequest__Output, _edgeplane_health_v1_ListVerdictsResponse>;
  
  SetConfig: grpc.handleUnaryCall<_edgeplane_health_v1_SetConfigRequest__Output, _edgeplane_health_v1_HealthConfig>;
  
  SetUnitHealthCheck: grpc.handleUnaryCall<_edgeplane_health_v1_SetUnitHealthCheckRequest__Output, _edgeplane_health_v1_HealthConfig>;
  
}

export interface HealthServiceDefinition extends grpc.ServiceDefinition {
  ExplainNode: MethodDefinition<_edgeplane_health_v1_ExplainNodeRequest, _edgeplane_health_v1_NodeExplanation, _edgeplane_health_v1_ExplainNodeRequest__Output, _edgeplane_health_v1_NodeExplanation__Output>
  GetConfig: MethodDefinition<_edgeplane_health_v1_GetConfigRequest, _edgeplane_health_v1_HealthConfig, _edgeplane_health_v1_GetConfigRequest__Output, _edgeplane_health_v1_HealthConfig__Output>
  ListVerdicts: MethodDefinition<_edgeplane_health_v1_ListVerdictsRequest, _edgeplane_health_v1_ListVerdictsResponse, _edgeplane_health_v1_ListVerdictsRequest__Output, _edgeplane_health_v1_ListVerdictsResponse__Output>
  SetConfig: MethodDefinition<_edgeplane_health_v1_SetConfigRequest, _edgeplane_health_v1_HealthConfig, _edgeplane_health_v1_SetConfigRequest__Output, _edgeplane_health_v1_HealthConfig__Output>
  SetUnitHealthCheck: MethodDefinition<_edgeplane_health_v1_SetUnitHealthCheckRequest, _edgeplane_health_v1_HealthConfig, _edgeplane_health_v1_SetUnitHealthCheckRequest__Output, _edgeplane_health_v1_HealthConfig__Output>
}
