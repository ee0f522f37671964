// Original file: edgeplane/nodepool/v1/nodepool.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateNodeGroupRequest as _edgeplane_nodepool_v1_CreateNodeGroupRequest, CreateNodeGroupRequest__Output as _edgeplane_nodepool_v1_CreateNodeGroupRequest__Output } from '../../../edgeplane/nodepool/v1/CreateNodeGroupRequest.js';
import type { DeleteNodeGroupRequest as _edgeplane_nodepool_v1_DeleteNodeGroupRequest, DeleteNodeGroupRequest__Output as _edgeplane_nodepool_v1_DeleteNodeGroupRequest__Output } from '../../../edgeplane/nodepool/v1/DeleteNodeGroupRequest.js';
import type { DeleteNodeGroupResponse as _edgeplane_nodepool_v1_DeleteNodeGroupResponse, DeleteNodeGroupResponse__Output as _edgeplane_nodepool_v1_DeleteNodeGroupResponse__Output } from '../../../edgeplane/nodepool/v1/DeleteNodeGroupResponse.js';
import type { GetNodeGroupRequest as _edgeplane_nodepool_v1_GetNodeGroupRequest, GetNodeGroupRequest__Output as _edgeplane_nodepool_v1_GetNodeGroupRequest__Output } from '../../../edgeplane/nodepool/v1/GetNodeGroupRequest.js';
import type { ListNodeGroupsRequest as _edgeplane_nodepool_v1_ListNodeGroupsRequest, ListNodeGroupsRequest__Output as _edgeplane_nodepool_v1_ListNodeGroupsRequest__Output } from '../../../edgeplane/nodepool/v1/ListNodeGroupsRequest.js';
import type { ListNodeGroupsResponse as _edgeplane_nodepool_v1_ListNodeGroupsResponse, ListNodeGroupsResponse__Output as _edgeplane_nodepool_v1_ListNodeGroupsResponse__Output } from '../../../edgeplane/nodepool/v1/ListNodeGroupsResponse.js';
import type { NodeGroup as _edgeplane_nodepool_v1_NodeGroup, NodeGroup__Output as _edgeplane_nodepool_v1_NodeGroup__Output } from '../../../edgeplane/nodepool/v1/NodeGroup.js';
import type { UpdateNodeGroupRequest as _edgeplane_nodepool_v1_UpdateNodeGroupRequest, UpdateNodeGroupRequest__Output as _edgeplane_nodepool_v1_UpdateNodeGroupRequest__Output } from '../../../edgeplane/nodepool/v1/UpdateNodeGroupRequest.js';

export interface NodeGroupServiceClient extends grpc.Client {
  CreateNodeGroup(argument: _edgeplane_nodepool_v1_CreateNodeGroupRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeGroup__Output>): grpc.ClientUnaryCall;
  CreateNodeGroup(argument: _edgeplane_nodepool_v1_CreateNodeGroupRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeGroup__Output>): grpc.ClientUnaryCall;
  CreateNodeGroup(argument: _edgeplane_nodepool_v1_CreateNodeGroupRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeGroup__Output>): grpc.ClientUnaryCall;
  CreateNodeGroup(argument: _edgeplane_nodepool_v1_CreateNodeGroupRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeGroup__Output>): grpc.ClientUnaryCall;
  createNodeGroup(argument: _edgeplane_nodepool_v1_CreateNodeGroupRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeGroup__Output>): grpc.ClientUnaryCall;
  createNodeGroup(argument: _edgeplane_nodepool_v1_CreateNodeGroupRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeGroup__Output>): grpc.ClientUnaryCall;
  createNodeGroup(argument: _edgeplane_nodepool_v1_CreateNodeGroupRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeGroup__Output>): grpc.ClientUnaryCall;
  createNodeGroup(argument: _edgeplane_nodepool_v1_CreateNodeGroupRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeGroup__Output>): grpc.ClientUnaryCall;
  
  DeleteNodeGroup(argument: _edgeplane_nodepool_v1_DeleteNodeGroupRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_DeleteNodeGroupResponse__Output>): grpc.ClientUnaryCall;
  DeleteNodeGroup(argument: _edgeplane_nodepool_v1_DeleteNodeGroupRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_DeleteNodeGroupResponse__Output>): grpc.ClientUnaryCall;
  DeleteNodeGroup(argument: _edgeplane_nodepool_v1_DeleteNodeGroupRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_DeleteNodeGroupResponse__Output>): grpc.ClientUnaryCall;
  DeleteNodeGroup(argument: _edgeplane_nodepool_v1_DeleteNodeGroupRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_DeleteNodeGroupResponse__Output>): grpc.ClientUnaryCall;
  deleteNodeGroup(argument: _edgeplane_nodepool_v1_DeleteNodeGroupRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_DeleteNodeGroupResponse__Output>): grpc.ClientUnaryCall;
  deleteNodeGroup(argument: _edgeplane_nodepool_v1_DeleteNodeGroupRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_DeleteNodeGroupResponse__Output>): grpc.ClientUnaryCall;
  deleteNodeGroup(argument: _edgeplane_nodepool_v1_DeleteNodeGroupRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_DeleteNodeGroupResponse__Output>): grpc.ClientUnaryCall;
  deleteNodeGroup(argument: _edgeplane_nodepool_v1_DeleteNodeGroupRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_DeleteNodeGroupResponse__Output>): grpc.ClientUnaryCall;
  
  GetNodeGroup(argument: _edgeplane_nodepool_v1_GetNodeGroupRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeGroup__Output>): grpc.ClientUnaryCall;
  GetNodeGroup(argument: _edgeplane_nodepool_v1_GetNodeGroupRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeGroup__Output>): grpc.ClientUnaryCall;
  GetNodeGroup(argument: _edgeplane_nodepool_v1_GetNodeGroupRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeGroup__Output>): grpc.ClientUnaryCall;
  GetNodeGroup(argument: _edgeplane_nodepool_v1_GetNodeGroupRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeGroup__Output>): grpc.ClientUnaryCall;
  getNodeGroup(argument: _edgeplane_nodepool_v1_GetNodeGroupRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeGroup__Output>): grpc.ClientUnaryCall;
  getNodeGroup(argument: _edgeplane_nodepool_v1_GetNodeGroupRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeGroup__Output>): grpc.ClientUnaryCall;
  getNodeGroup(argument: _edgeplane_nodepool_v1_GetNodeGroupRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeGroup__Output>): grpc.ClientUnaryCall;
  getNodeGroup(argument: _edgeplane_nodepool_v1_GetNodeGroupRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeGroup__Output>): grpc.ClientUnaryCall;
  
  ListNodeGroups(argument: _edgeplane_nodepool_v1_ListNodeGroupsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ListNodeGroupsResponse__Output>): grpc.ClientUnaryCall;
  ListNodeGroups(argument: _edgeplane_nodepool_v1_ListNodeGroupsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ListNodeGroupsResponse__Output>): grpc.ClientUnaryCall;
  ListNodeGroups(argument: _edgeplane_nodepool_v1_ListNodeGroupsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ListNodeGroupsResponse__Output>): grpc.ClientUnaryCall;
  ListNodeGroups(argument: _edgeplane_nodepool_v1_ListNodeGroupsRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ListNodeGroupsResponse__Output>): grpc.ClientUnaryCall;
  listNodeGroups(argument: _edgeplane_nodepool_v1_ListNodeGroupsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ListNodeGroupsResponse__Output>): grpc.ClientUnaryCall;
  listNodeGroups(argument: _edgeplane_nodepool_v1_ListNodeGroupsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ListNodeGroupsResponse__Output>): grpc.ClientUnaryCall;
  listNodeGroups(argument: _edgeplane_nodepool_v1_ListNodeGroupsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ListNodeGroupsResponse__Output>): grpc.ClientUnaryCall;
  listNodeGroups(argument: _edgeplane_nodepool_v1_ListNodeGroupsRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_ListNodeGroupsResponse__Output>): grpc.ClientUnaryCall;
  
  UpdateNodeGroup(argument: _edgeplane_nodepool_v1_UpdateNodeGroupRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeGroup__Output>): grpc.ClientUnaryCall;
  UpdateNodeGroup(argument: _edgeplane_nodepool_v1_UpdateNodeGroupRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeGroup__Output>): grpc.ClientUnaryCall;
  UpdateNodeGroup(argument: _edgeplane_nodepool_v1_UpdateNodeGroupRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeGroup__Output>): grpc.ClientUnaryCall;
  UpdateNodeGroup(argument: _edgeplane_nodepool_v1_UpdateNodeGroupRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeGroup__Output>): grpc.ClientUnaryCall;
  updateNodeGroup(argument: _edgeplane_nodepool_v1_UpdateNodeGroupRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeGroup__Output>): grpc.ClientUnaryCall;
  updateNodeGroup(argument: _edgeplane_nodepool_v1_UpdateNodeGroupRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeGroup__Output>): grpc.ClientUnaryCall;
  updateNodeGroup(argument: _edgeplane_nodepool_v1_UpdateNodeGroupRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeGroup__Output>): grpc.ClientUnaryCall;
  updateNodeGroup(argument: _edgeplane_nodepool_v1_UpdateNodeGroupRequest, callback: grpc.requestCallback<_edgeplane_nodepool_v1_NodeGroup__Output>): grpc.ClientUnaryCall;
  
}

export interface NodeGroupServiceHandlers extends grpc.UntypedServiceImplementation {
  CreateNodeGroup: grpc.handleUnaryCall<_edgeplane_nodepool_v1_CreateNodeGroupRequest__Output, _edgeplane_nodepool_v1_NodeGroup>;
  
  DeleteNodeGroup: grpc.handleUnaryCall<_edgeplane_nodepool_v1_DeleteNodeGroupRequest__Output, _edgeplane_nodepool_v1_DeleteNodeGroupResponse>;
  
  GetNodeGroup: grpc.handleUnaryCall<_edgeplane_nodepool_v1_GetNodeGroupRequest__Output, _edgeplane_nodepool_v1_NodeGroup>;
  
  ListNodeGroups: grpc.handleUnaryCall<_edgeplane_nodepool_v1_ListNodeGroupsRequest__Output, _edgeplane_nodepool_v1_ListNodeGroupsResponse>;
  
  UpdateNodeGroup: grpc.handleUnaryCall<_edgeplane_nodepool_v1_UpdateNodeGroupRequest__Output, _edgeplane_nodepool_v1_NodeGroup>;
  
}

export interface NodeGroupServiceDefinition extends grpc.ServiceDefinition {
  CreateNodeGroup: MethodDefinition<_edgeplane_nodepool_v1_CreateNodeGroupRequest, _edgeplane_nodepool_v1_NodeGroup, _edgeplane_nodepool_v1_CreateNodeGroupRequest__Output, _edgeplane_nodepool_v1_NodeGroup__Output>
  DeleteNodeGroup: MethodDefinition<_edgeplane_nodepool_v1_DeleteNodeGroupRequest, _edgeplane_nodepool_v1_DeleteNodeGroupResponse, _edgeplane_nodepool_v1_DeleteNodeGroupRequest__Output, _edgeplane_nodepool_v1_DeleteNodeGroupResponse__Output>
  GetNodeGroup: MethodDefinition<_edgeplane_nodepool_v1_GetNodeGroupRequest, _edgeplane_nodepool_v1_NodeGroup, _edgeplane_nodepool_v1_GetNodeGroupRequest__Output, _edgeplane_nodepool_v1_NodeGroup__Output>
  ListNodeGroups: MethodDefinition<_edgeplane_nodepool_v1_ListNodeGroupsRequest, _edgeplane_nodepool_v1_ListNodeGroupsResponse, _edgeplane_nodepool_v1_ListNodeGroupsRequest__Output, _edgeplane_nodepool_v1_ListNodeGroupsResponse__Output>
  UpdateNodeGroup: MethodDefinition<_edgeplane_nodepool_v1_UpdateNodeGroupRequest, _edgeplane_nodepool_v1_NodeGroup, _edgeplane_nodepool_v1_UpdateNodeGroupRequest__Output, _edgeplane_nodepool_v1_NodeGroup__Output>
}
