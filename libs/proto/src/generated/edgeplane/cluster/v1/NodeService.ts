// Original file: edgeplane/cluster/v1/cluster.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CordonNodeRequest as _edgeplane_cluster_v1_CordonNodeRequest, CordonNodeRequest__Output as _edgeplane_cluster_v1_CordonNodeRequest__Output } from '../../../edgeplane/cluster/v1/CordonNodeRequest.js';
import type { DrainNodeRequest as _edgeplane_cluster_v1_DrainNodeRequest, DrainNodeRequest__Output as _edgeplane_cluster_v1_DrainNodeRequest__Output } from '../../../edgeplane/cluster/v1/DrainNodeRequest.js';
import type { GetNodeRequest as _edgeplane_cluster_v1_GetNodeRequest, GetNodeRequest__Output as _edgeplane_cluster_v1_GetNodeRequest__Output } from '../../../edgeplane/cluster/v1/GetNodeRequest.js';
import type { LabelNodeRequest as _edgeplane_cluster_v1_LabelNodeRequest, LabelNodeRequest__Output as _edgeplane_cluster_v1_LabelNodeRequest__Output } from '../../../edgeplane/cluster/v1/LabelNodeRequest.js';
import type { ListNodesRequest as _edgeplane_cluster_v1_ListNodesRequest, ListNodesRequest__Output as _edgeplane_cluster_v1_ListNodesRequest__Output } from '../../../edgeplane/cluster/v1/ListNodesRequest.js';
import type { ListNodesResponse as _edgeplane_cluster_v1_ListNodesResponse, ListNodesResponse__Output as _edgeplane_cluster_v1_ListNodesResponse__Output } from '../../../edgeplane/cluster/v1/ListNodesResponse.js';
import type { Node as _edgeplane_cluster_v1_Node, Node__Output as _edgeplane_cluster_v1_Node__Output } from '../../../edgeplane/cluster/v1/Node.js';
import type { NodeDetail as _edgeplane_cluster_v1_NodeDetail, NodeDetail__Output as _edgeplane_cluster_v1_NodeDetail__Output } from '../../../edgeplane/cluster/v1/NodeDetail.js';
import type { RemoveNodeRequest as _edgeplane_cluster_v1_RemoveNodeRequest, RemoveNodeRequest__Output as _edgeplane_cluster_v1_RemoveNodeRequest__Output } from '../../../edgeplane/cluster/v1/RemoveNodeRequest.js';
import type { RemoveNodeResponse as _edgeplane_cluster_v1_RemoveNodeResponse, RemoveNodeResponse__Output as _edgeplane_cluster_v1_RemoveNodeResponse__Output } from '../../../edgeplane/cluster/v1/RemoveNodeResponse.js';
import type { TaintNodeRequest as _edgeplane_cluster_v1_TaintNodeRequest, TaintNodeRequest__Output as _edgeplane_cluster_v1_TaintNodeRequest__Output } from '../../../edgeplane/cluster/v1/TaintNodeRequest.js';
import type { UncordonNodeRequest as _edgeplane_cluster_v1_UncordonNodeRequest, UncordonNodeRequest__Output as _edgeplane_cluster_v1_UncordonNodeRequest__Output } from '../../../edgeplane/cluster/v1/UncordonNodeRequest.js';

export interface NodeServiceClient extends grpc.Client {
  CordonNode(argument: _edgeplane_cluster_v1_CordonNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  CordonNode(argument: _edgeplane_cluster_v1_CordonNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  CordonNode(argument: _edgeplane_cluster_v1_CordonNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  CordonNode(argument: _edgeplane_cluster_v1_CordonNodeRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  cordonNode(argument: _edgeplane_cluster_v1_CordonNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  cordonNode(argument: _edgeplane_cluster_v1_CordonNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  cordonNode(argument: _edgeplane_cluster_v1_CordonNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  cordonNode(argument: _edgeplane_cluster_v1_CordonNodeRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  
  DrainNode(argument: _edgeplane_cluster_v1_DrainNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  DrainNode(argument: _edgeplane_cluster_v1_DrainNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  DrainNode(argument: _edgeplane_cluster_v1_DrainNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  DrainNode(argument: _edgeplane_cluster_v1_DrainNodeRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  drainNode(argument: _edgeplane_cluster_v1_DrainNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  drainNode(argument: _edgeplane_cluster_v1_DrainNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  drainNode(argument: _edgeplane_cluster_v1_DrainNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  drainNode(argument: _edgeplane_cluster_v1_DrainNodeRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  
  GetNode(argument: _edgeplane_cluster_v1_GetNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_NodeDetail__Output>): grpc.ClientUnaryCall;
  GetNode(argument: _edgeplane_cluster_v1_GetNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_NodeDetail__Output>): grpc.ClientUnaryCall;
  GetNode(argument: _edgeplane_cluster_v1_GetNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_NodeDetail__Output>): grpc.ClientUnaryCall;
  GetNode(argument: _edgeplane_cluster_v1_GetNodeRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_NodeDetail__Output>): grpc.ClientUnaryCall;
  getNode(argument: _edgeplane_cluster_v1_GetNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_NodeDetail__Output>): grpc.ClientUnaryCall;
  getNode(argument: _edgeplane_cluster_v1_GetNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_NodeDetail__Output>): grpc.ClientUnaryCall;
  getNode(argument: _edgeplane_cluster_v1_GetNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_NodeDetail__Output>): grpc.ClientUnaryCall;
  getNode(argument: _edgeplane_cluster_v1_GetNodeRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_NodeDetail__Output>): grpc.ClientUnaryCall;
  
  LabelNode(argument: _edgeplane_cluster_v1_LabelNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  LabelNode(argument: _edgeplane_cluster_v1_LabelNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  LabelNode(argument: _edgeplane_cluster_v1_LabelNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  LabelNode(argument: _edgeplane_cluster_v1_LabelNodeRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  labelNode(argument: _edgeplane_cluster_v1_LabelNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  labelNode(argument: _edgeplane_cluster_v1_LabelNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  labelNode(argument: _edgeplane_cluster_v1_LabelNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  labelNode(argument: _edgeplane_cluster_v1_LabelNodeRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  
  ListNodes(argument: _edgeplane_cluster_v1_ListNodesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _edgeplane_cluster_v1_ListNodesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _edgeplane_cluster_v1_ListNodesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _edgeplane_cluster_v1_ListNodesRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _edgeplane_cluster_v1_ListNodesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _edgeplane_cluster_v1_ListNodesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _edgeplane_cluster_v1_ListNodesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _edgeplane_cluster_v1_ListNodesRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  
  RemoveNode(argument: _edgeplane_cluster_v1_RemoveNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  RemoveNode(argument: _edgeplane_cluster_v1_RemoveNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  RemoveNode(argument: _edgeplane_cluster_v1_RemoveNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  RemoveNode(argument: _edgeplane_cluster_v1_RemoveNodeRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  removeNode(argument: _edgeplane_cluster_v1_RemoveNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  removeNode(argument: _edgeplane_cluster_v1_RemoveNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  removeNode(argument: _edgeplane_cluster_v1_RemoveNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  removeNode(argument: _edgeplane_cluster_v1_RemoveNodeRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  
  TaintNode(argument: _edgeplane_cluster_v1_TaintNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  TaintNode(argument: _edgeplane_cluster_v1_TaintNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  TaintNode(argument: _edgeplane_cluster_v1_TaintNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  TaintNode(argument: _edgeplane_cluster_v1_TaintNodeRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  taintNode(argument: _edgeplane_cluster_v1_TaintNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  taintNode(argument: _edgeplane_cluster_v1_TaintNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  taintNode(argument: _edgeplane_cluster_v1_TaintNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  taintNode(argument: _edgeplane_cluster_v1_TaintNodeRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  
  UncordonNode(argument: _edgeplane_cluster_v1_UncordonNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  UncordonNode(argument: _edgeplane_cluster_v1_UncordonNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  UncordonNode(argument: _edgeplane_cluster_v1_UncordonNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  UncordonNode(argument: _edgeplane_cluster_v1_UncordonNodeRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  uncordonNode(argument: _edgeplane_cluster_v1_UncordonNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  uncordonNode(argument: _edgeplane_cluster_v1_UncordonNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  uncordonNode(argument: _edgeplane_cluster_v1_UncordonNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  uncordonNode(argument: _edgeplane_cluster_v1_UncordonNodeRequest, callback: grpc.requestCallback<_edgeplane_cluster_v1_Node__Output>): grpc.ClientUnaryCall;
  
}

export interface NodeServiceHandlers extends grpc.UntypedServiceImplementation {
  CordonNode: grpc.handleUnaryCall<_edgeplane_cluster_v1_CordonNodeRequest__Output, _edgeplane_cluster_v1_Node>;
  
  DrainNode: grpc.handleUnaryCall<_edgeplane_cluster_v1_DrainNodeRequest__Output, _edgeplane_cluster_v1_Node>;
  
  GetNode: grpc.handleUnaryCall<_edgeplane_cluster_v1_GetNodeRequest__Output, _edgeplane_cluster_v1_NodeDetail>;
  
  LabelNode: grpc.handleUnaryCall<_edgeplane_cluster_v1_LabelNodeRequest__Output, _edgeplane_cluster_v1_Node>;
  
  ListNodes: grpc.handleUnaryCall<_edgeplane_cluster_v1_ListNodesRequest__Output, _edgeplane_cluster_v1_ListNodesResponse>;
  
  RemoveNode: grpc.handleUnaryCall<_edgeplane_cluster_v1_RemoveNodeRequest__Output, _edgeplane_cluster_v1_RemoveNodeResponse>;
  
  TaintNode: grpc.handleUnaryCall<_edgeplane_cluster_v1_TaintNodeRequest__Output, _edgeplane_cluster_v1_Node>;
  
  UncordonNode: grpc.handleUnaryCall<_edgeplane_cluster_v1_UncordonNodeRequest__Output, _edgeplane_cluster_v1_Node>;
  
}

export interface NodeServiceDefinition extends grpc.ServiceDefinition {
  CordonNode: MethodDefinition<_edgeplane_cluster_v1_CordonNodeRequest, _edgeplane_cluster_v1_Node, _edgeplane_cluster_v1_CordonNodeRequest__Output, _edgeplane_cluster_v1_Node__Output>
  DrainNode: MethodDefinition<_edgeplane_cluster_v1_DrainNodeRequest, _edgeplane_cluster_v1_Node, _edgeplane_cluster_v1_DrainNodeRequest__Output, _edgeplane_cluster_v1_Node__Output>
  GetNode: MethodDefinition<_edgeplane_cluster_v1_GetNodeRequest, _edgeplane_cluster_v1_NodeDetail, _edgeplane_cluster_v1_GetNodeRequest__Output, _edgeplane_cluster_v1_NodeDetail__Output>
  LabelNode: MethodDefinition<_edgeplane_cluster_v1_LabelNodeRequest, _edgeplane_cluster_v1_Node, _edgeplane_cluster_v1_LabelNodeRequest__Output, _edgeplane_cluster_v1_Node__Output>
  ListNodes: MethodDefinition<_edgeplane_cluster_v1_ListNodesRequest, _edgeplane_cluster_v1_ListNodesResponse, _edgeplane_cluster_v1_ListNodesRequest__Output, _edgeplane_cluster_v1_ListNodesResponse__Output>
  RemoveNode: MethodDefinition<_edgeplane_cluster_v1_RemoveNodeRequest, _edgeplane_cluster_v1_RemoveNodeResponse, _edgeplane_cluster_v1_RemoveNodeRequest__Output, _edgeplane_cluster_v1_RemoveNodeResponse__Output>
  TaintNode: MethodDefinition<_edgeplane_cluster_v1_TaintNodeRequest, _edgeplane_cluster_v1_Node, _edgeplane_cluster_v1_TaintNodeRequest__Output, _edgeplane_cluster_v1_Node__Output>
  UncordonNode: MethodDefinition<_edgeplane_cluster_v1_UncordonNodeRequest, _edgeplane_cluster_v1_Node, _edgeplane_cluster_v1_UncordonNodeRequest__Output, _edgeplane_cluster_v1_Node__Output>
}
