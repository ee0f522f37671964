// Original file: edgeplane/nodepool/v1/nodepool.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateNodeUnitRequest as _edgeplane_nodepool_v1_CreateNodeUnitRequest, CreateNodeUnitRequest__Output as _edgeplane_nodepool_v1_CreateNodeUnitRequest__Output } from '../../../edgeplane/nodepool/v1/CreateNodeUnitRequest.js';
import type { DeleteNodeUnitRequest as _edgeplane_nodepool_v1_DeleteNodeUnitRequest, DeleteNodeUnitRequest__Output as _edgeplane_nodepool_v1_DeleteNodeUnitRequest__Output } from '../../../edgeplane/nodepool/v1/DeleteNodeUnitRequest.js';
import type { DeleteNodeUnitResponse as _edgeplane_nodepool_v1_DeleteNodeUnitResponse, DeleteNodeUnitResponse__Output as _edgeplane_nodepool_v1_DeleteNodeUnitResponse__Output } from '../../../edgeplane/nodepool/v1/DeleteNodeUnitResponse.js';
import type { GetNodeUnitRequest as _edgeplane_nodepool_v1_GetNodeUnitRequest, GetNodeUnitRequest__Output as _edgeplane_nodepool_v1_GetNodeUnitRequest__Output } from '../../../edgeplane/nodepool/v1/GetNodeUnitRequest.js';
import type { GetUnitStatusRequest as _edgeplane_nodepool_v1_GetUnitStatusRequest, GetUnitStatusRequest__Output as _edgeplane_nodepool_v1_GetUnitStatusRequest__Output } from '../../../edgeplane/nodepool/v1/GetUnitStatusRequest.js';
import type { ListNodeUnitsRequest as _edgeplane_nodepool_v1_ListNodeUnitsRequest, ListNodeUnitsRequest__Output as _edgeplane_nodepool_v1_ListNodeUnitsRequest__Output } from '../../../edgeplane/nodepool/v1/ListNodeUnitsRequest.js';
import type { ListNodeUnitsResponse as _edgeplane_nodepool_v1_ListNodeUnitsResponse, ListNodeUnitsResponse__Output as _edgeplane_nodepool_v1_ListNodeUnitsResponse__Output } from '../../../edgeplane/nodepool/v1/ListNodeUnitsResponse.js';
import type { NodeUnit as _edgeplane_nodepool_v1_NodeUnit, NodeUnit__Output as _edgeplane_nodepool_v1_NodeUnit__Output } from '../../../edgeplane/nodepool/v1/NodeUnit.js';
import type { NodeUnitStatus as _edgeplane_nodepool_v1_NodeUnitStatus, NodeUnitStatus__Output as _edgeplane_nodepool_v1_NodeUnitStatus__Output } from '../../../edgeplane/nodepool/v1/NodeUnitStatus.js';
import type { UpdateNodeUnitRequest as _edgeplane_nodepool_v1_UpdateNodeUnitRequest, UpdateNodeUnitRequest__Output as _edgeplane_nodepool_v1_UpdateNodeUnitRequest__Output } from '../../../edgeplane/nodepool/v1/UpdateNodeUnitRequest.js';

export interface NodeUnitServiceClient extends grpc.Client {
  CreateNodeUnit(argument: _edgeplane_nodepool_v1_CreateNodeUnitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnit__Output>): grpc.ClientUnaryCall;
  CreateNodeUnit(argument: _edgeplane_nodepool_v1_CreateNodeUnitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnit__Output>): grpc.ClientUnaryCall;
  CreateNodeUnit(argument: _edgeplane_nodepool_v1_CreateNodeUnitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnit__Output>): grpc.ClientUnaryCall;
  CreateNodeUnit(argument: _edgeplane_nodepool_v1_CreateNodeUnitRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnit__Output>): grpc.ClientUnaryCall;
  createNodeUnit(argument: _edgeplane_nodepool_v1_CreateNodeUnitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnit__Output>): grpc.ClientUnaryCall;
  createNodeUnit(argument: _edgeplane_nodepool_v1_CreateNodeUnitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnit__Output>): grpc.ClientUnaryCall;
  createNodeUnit(argument: _edgeplane_nodepool_v1_CreateNodeUnitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnit__Output>): grpc.ClientUnaryCall;
  createNodeUnit(argument: _edgeplane_nodepool_v1_CreateNodeUnitRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnit__Output>): grpc.ClientUnaryCall;
  
  DeleteNodeUnit(argument: _edgeplane_nodepool_v1_DeleteNodeUnitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_DeleteNodeUnitResponse__Output>): grpc.ClientUnaryCall;
  DeleteNodeUnit(argument: _edgeplane_nodepool_v1_DeleteNodeUnitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_DeleteNodeUnitResponse__Output>): grpc.ClientUnaryCall;
  DeleteNodeUnit(argument: _edgeplane_nodepool_v1_DeleteNodeUnitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_DeleteNodeUnitResponse__Output>): grpc.ClientUnaryCall;
  DeleteNodeUnit(argument: _edgeplane_nodepool_v1_DeleteNodeUnitRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_DeleteNodeUnitResponse__Output>): grpc.ClientUnaryCall;
  deleteNodeUnit(argument: _edgeplane_nodepool_v1_DeleteNodeUnitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_DeleteNodeUnitResponse__Output>): grpc.ClientUnaryCall;
  deleteNodeUnit(argument: _edgeplane_nodepool_v1_DeleteNodeUnitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_DeleteNodeUnitResponse__Output>): grpc.ClientUnaryCall;
  deleteNodeUnit(argument: _edgeplane_nodepool_v1_DeleteNodeUnitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_DeleteNodeUnitResponse__Output>): grpc.ClientUnaryCall;
  deleteNodeUnit(argument: _edgeplane_nodepool_v1_DeleteNodeUnitRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_DeleteNodeUnitResponse__Output>): grpc.ClientUnaryCall;
  
  GetNodeUnit(argument: _edgeplane_nodepool_v1_GetNodeUnitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnit__Output>): grpc.ClientUnaryCall;
  GetNodeUnit(argument: _edgeplane_nodepool_v1_GetNodeUnitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnit__Output>): grpc.ClientUnaryCall;
  GetNodeUnit(argument: _edgeplane_nodepool_v1_GetNodeUnitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnit__Output>): grpc.ClientUnaryCall;
  GetNodeUnit(argument: _edgeplane_nodepool_v1_GetNodeUnitRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnit__Output>): grpc.ClientUnaryCall;
  getNodeUnit(argument: _edgeplane_nodepool_v1_GetNodeUnitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnit__Output>): grpc.ClientUnaryCall;
  getNodeUnit(argument: _edgeplane_nodepool_v1_GetNodeUnitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnit__Output>): grpc.ClientUnaryCall;
  getNodeUnit(argument: _edgeplane_nodepool_v1_GetNodeUnitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnit__Output>): grpc.ClientUnaryCall;
  getNodeUnit(argument: _edgeplane_nodepool_v1_GetNodeUnitRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnit__Output>): grpc.ClientUnaryCall;
  
  GetUnitStatus(argument: _edgeplane_nodepool_v1_GetUnitStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnitStatus__Output>): grpc.ClientUnaryCall;
  GetUnitStatus(argument: _edgeplane_nodepool_v1_GetUnitStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnitStatus__Output>): grpc.ClientUnaryCall;
  GetUnitStatus(argument: _edgeplane_nodepool_v1_GetUnitStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnitStatus__Output>): grpc.ClientUnaryCall;
  GetUnitStatus(argument: _edgeplane_nodepool_v1_GetUnitStatusRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnitStatus__Output>): grpc.ClientUnaryCall;
  getUnitStatus(argument: _edgeplane_nodepool_v1_GetUnitStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnitStatus__Output>): grpc.ClientUnaryCall;
  getUnitStatus(argument: _edgeplane_nodepool_v1_GetUnitStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnitStatus__Output>): grpc.ClientUnaryCall;
  getUnitStatus(argument: _edgeplane_nodepool_v1_GetUnitStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnitStatus__Output>): grpc.ClientUnaryCall;
  getUnitStatus(argument: _edgeplane_nodepool_v1_GetUnitStatusRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnitStatus__Output>): grpc.ClientUnaryCall;
  
  ListNodeUnits(argument: _edgeplane_nodepool_v1_ListNodeUnitsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ListNodeUnitsResponse__Output>): grpc.ClientUnaryCall;
  ListNodeUnits(argument: _edgeplane_nodepool_v1_ListNodeUnitsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ListNodeUnitsResponse__Output>): grpc.ClientUnaryCall;
  ListNodeUnits(argument: _edgeplane_nodepool_v1_ListNodeUnitsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ListNodeUnitsResponse__Output>): grpc.ClientUnaryCall;
  ListNodeUnits(argument: _edgeplane_nodepool_v1_ListNodeUnitsRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ListNodeUnitsResponse__Output>): grpc.ClientUnaryCall;
  listNodeUnits(argument: _edgeplane_nodepool_v1_ListNodeUnitsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ListNodeUnitsResponse__Output>): grpc.ClientUnaryCall;
  listNodeUnits(argument: _edgeplane_nodepool_v1_ListNodeUnitsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ListNodeUnitsResponse__Output>): grpc.ClientUnaryCall;
  listNodeUnits(argument: _edgeplane_nodepool_v1_ListNodeUnitsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ListNodeUnitsResponse__Output>): grpc.ClientUnaryCall;
  listNodeUnits(argument: _edgeplane_nodepool_v1_ListNodeUnitsRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ListNodeUnitsResponse__Output>): grpc.ClientUnaryCall;
  
  UpdateNodeUnit(argument: _edgeplane_nodepool_v1_UpdateNodeUnitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnit__Output>): grpc.ClientUnaryCall;
  UpdateNodeUnit(argument: _edgeplane_nodepool_v1_UpdateNodeUnitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnit__Output>): grpc.ClientUnaryCall;
  UpdateNodeUnit(argument: _edgeplane_nodepool_v1_UpdateNodeUnitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnit__Output>): grpc.ClientUnaryCall;
  UpdateNodeUnit(argument: _edgeplane_nodepool_v1_UpdateNodeUnitRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnit__Output>): grpc.ClientUnaryCall;
  updateNodeUnit(argument: _edgeplane_nodepool_v1_UpdateNodeUnitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnit__Output>): grpc.ClientUnaryCall;
  updateNodeUnit(argument: _edgeplane_nodepool_v1_UpdateNodeUnitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnit__Output>): grpc.ClientUnaryCall;
  updateNodeUnit(argument: _edgeplane_nodepool_v1_UpdateNodeUnitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnit__Output>): grpc.ClientUnaryCall;
  updateNodeUnit(argument: _edgeplane_nodepool_v1_UpdateNodeUnitRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeUnit__Output>): grpc.ClientUnaryCall;
  
}

export interface NodeUnitServiceHandlers extends grpc.UntypedServiceImplementation {
  CreateNodeUnit: grpc.handleUnaryCall<_edgeplane_nodepool_v1_CreateNodeUnitRequest__Output, _edgeplane_nodepool_v1_NodeUnit>;
  
  DeleteNodeUnit: grpc.handleUnaryCall<_edgeplane_nodepool_v1_DeleteNodeUnitRequest__Output, _edgeplane_nodepool_v1_DeleteNodeUnitResponse>;
  
  GetNodeUnit: grpc.handleUnaryCall<_edgeplane_nodepool_v1_GetNodeUnitRequest__Output, _edgeplane_nodepool_v1_NodeUnit>;
  
  GetUnitStatus: grpc.handleUnaryCall<_edgeplane_nodepool_v1_GetUnitStatusRequest__Output, _edgeplane_nodepool_v1_NodeUnitStatus>;
  
  ListNodeUnits: grpc.handleUnaryCall<_edgeplane_nodepool_v1_ListNodeUnitsRequest__Output, _edgeplane_nodepool_v1_ListNodeUnitsResponse>;
  
  UpdateNodeUnit: grpc.handleUnaryCall<_edgeplane_nodepool_v1_UpdateNodeUnitRequest__Output, _edgeplane_nodepool_v1_NodeUnit>;
  
}

export interface NodeUnitServiceDefinition extends grpc.ServiceDefinition {
  CreateNodeUnit: MethodDefinition<_edgeplane_nodepool_v1_CreateNodeUnitRequest, _edgeplane_nodepool_v1_NodeUnit, _edgeplane_nodepool_v1_CreateNodeUnitRequest__Output, _edgeplane_nodepool_v1_NodeUnit__Output>
  DeleteNodeUnit: MethodDefinition<_edgeplane_nodepool_v1_DeleteNodeUnitRequest, _edgeplane_nodepool_v1_DeleteNodeUnitResponse, _edgeplane_nodepool_v1_DeleteNodeUnitRequest__Output, _edgeplane_nodepool_v1_DeleteNodeUnitResponse__Output>
  GetNodeUnit: MethodDefinition<_edgeplane_nodepool_v1_GetNodeUnitRequest, _edgeplane_nodepool_v1_NodeUnit, _edgeplane_nodepool_v1_GetNodeUnitRequest__Output, _edgeplane_nodepool_v1_NodeUnit__Output>
  GetUnitStatus: MethodDefinition<_edgeplane_nodepool_v1_GetUnitStatusRequest, _edgeplane_nodepool_v1_NodeUnitStatus, _edgeplane_nodepool_v1_GetUnitStatusRequest__Output, _edgeplane_nodepool_v1_NodeUnitStatus__Output>
  ListNodeUnits: MethodDefinition<_edgeplane_nodepool_v1_ListNodeUnitsRequest, _edgeplane_nodepool_v1_ListNodeUnitsResponse, _edgeplane_nodepool_v1_ListNodeUnitsRequest__Output, _edgeplane_nodepool_v1_ListNodeUnitsResponse__Output>
  UpdateNodeUnit: MethodDefinition<_edgeplane_nodepool_v1_UpdateNodeUnitRequest, _edgeplane_nodepool_v1_NodeUnit, _edgeplane_nodepool_v1_UpdateNodeUnitRequest__Output, _edgeplane_nodepool_v1_NodeUnit__Output>
}
