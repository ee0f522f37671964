// Original file: edgeplane/grid/v1/grid.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ApplyGridRequest as _edgeplane_grid_v1_ApplyGridRequest, ApplyGridRequest__Output as _edgeplane_grid_v1_ApplyGridRequest__Output } from '../../../edgeplane/grid/v1/ApplyGridRequest.js';
import type { ApplyGridResponse as _edgeplane_grid_v1_ApplyGridResponse, ApplyGridResponse__Output as _edgeplane_grid_v1_ApplyGridResponse__Output } from '../../../edgeplane/grid/v1/ApplyGridResponse.js';
import type { DeleteGridRequest as _edgeplane_grid_v1_DeleteGridRequest, DeleteGridRequest__Output as _edgeplane_grid_v1_DeleteGridRequest__Output } from '../../../edgeplane/grid/v1/DeleteGridRequest.js';
import type { DeleteGridResponse as _edgeplane_grid_v1_DeleteGridResponse, DeleteGridResponse__Output as _edgeplane_grid_v1_DeleteGridResponse__Output } from '../../../edgeplane/grid/v1/DeleteGridResponse.js';
import type { GetGridRequest as _edgeplane_grid_v1_GetGridRequest, GetGridRequest__Output as _edgeplane_grid_v1_GetGridRequest__Output } from '../../../edgeplane/grid/v1/GetGridRequest.js';
import type { GetPodRequest as _edgeplane_grid_v1_GetPodRequest, GetPodRequest__Output as _edgeplane_grid_v1_GetPodRequest__Output } from '../../../edgeplane/grid/v1/GetPodRequest.js';
import type { Grid as _edgeplane_grid_v1_Grid, Grid__Output as _edgeplane_grid_v1_Grid__Output } from '../../../edgeplane/grid/v1/Grid.js';
import type { ListGridsRequest as _edgeplane_grid_v1_ListGridsRequest, ListGridsRequest__Output as _edgeplane_grid_v1_ListGridsRequest__Output } from '../../../edgeplane/grid/v1/ListGridsRequest.js';
import type { ListGridsResponse as _edgeplane_grid_v1_ListGridsResponse, ListGridsResponse__Output as _edgeplane_grid_v1_ListGridsResponse__Output } from '../../../edgeplane/grid/v1/ListGridsResponse.js';
import type { ListPodsRequest as _edgeplane_grid_v1_ListPodsRequest, ListPodsRequest__Output as _edgeplane_grid_v1_ListPodsRequest__Output } from '../../../edgeplane/grid/v1/ListPodsRequest.js';
import type { ListPodsResponse as _edgeplane_grid_v1_ListPodsResponse, ListPodsResponse__Output as _edgeplane_grid_v1_ListPodsResponse__Output } from '../../../edgeplane/grid/v1/ListPodsResponse.js';
import type { Pod as _edgeplane_grid_v1_Pod, Pod__Output as _edgeplane_grid_v1_Pod__Output } from '../../../edgeplane/grid/v1/Pod.js';
import type { RenderGridRequest as _edgeplane_grid_v1_RenderGridRequest, RenderGridRequest__Output as _edgeplane_grid_v1_RenderGridRequest__Output } from '../../../edgeplane/grid/v1/RenderGridRequest.js';
import type { RenderGridResponse as _edgeplane_grid_v1_RenderGridResponse, RenderGridResponse__Output as _edgeplane_grid_v1_RenderGridResponse__Output } from '../../../edgeplane/grid/v1/RenderGridResponse.js';
import type { Rollout as _edgeplane_grid_v1_Rollout, Rollout__Output as _edgeplane_grid_v1_Rollout__Output } from '../../../edgeplane/grid/v1/Rollout.js';
import type { RolloutRequest as _edgeplane_grid_v1_RolloutRequest, RolloutRequest__Output as _edgeplane_grid_v1_RolloutRequest__Output } from '../../../edgeplane/grid/v1/RolloutRequest.js';

export interface GridServiceClient extends grpc.Client {
  Apply(argument: _edgeplane_grid_v1_ApplyGridRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_ApplyGridResponse__Output>): grpc.ClientUnaryCall;
  Apply(argument: _edgeplane_grid_v1_ApplyGridRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_grid_v1_ApplyGridResponse__Output>): grpc.ClientUnaryCall;
  Apply(argument: _edgeplane_grid_v1_ApplyGridRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_ApplyGridResponse__Output>): grpc.ClientUnaryCall;
  Apply(argument: _edgeplane_grid_v1_ApplyGridRequest, callback: grpc.requestCallback<_edgeplane_grid_v1_ApplyGridResponse__Output>): grpc.ClientUnaryCall;
  apply(argument: _edgeplane_grid_v1_ApplyGridRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_ApplyGridResponse__Output>): grpc.ClientUnaryCall;
  apply(argument: _edgeplane_grid_v1_ApplyGridRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_grid_v1_ApplyGridResponse__Output>): grpc.ClientUnaryCall;
  apply(argument: _edgeplane_grid_v1_ApplyGridRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_ApplyGridResponse__Output>): grpc.ClientUnaryCall;
  apply(argument: _edgeplane_grid_v1_ApplyGridRequest, callback: grpc.requestCallback<_edgeplane_grid_v1_ApplyGridResponse__Output>): grpc.ClientUnaryCall;
  
  DeleteGrid(argument: _edgeplane_grid_v1_DeleteGridRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_DeleteGridResponse__Output>): grpc.ClientUnaryCall;
  DeleteGrid(argument: _edgeplane_grid_v1_DeleteGridRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_grid_v1_DeleteGridResponse__Output>): grpc.ClientUnaryCall;
  DeleteGrid(argument: _edgeplane_grid_v1_DeleteGridRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_DeleteGridResponse__Output>): grpc.ClientUnaryCall;
  DeleteGrid(argument: _edgeplane_grid_v1_DeleteGridRequest, callback: grpc.requestCallback<_edgeplane_grid_v1_DeleteGridResponse__Output>): grpc.ClientUnaryCall;
  deleteGrid(argument: _edgeplane_grid_v1_DeleteGridRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_DeleteGridResponse__Output>): grpc.ClientUnaryCall;
  deleteGrid(argument: _edgeplane_grid_v1_DeleteGridRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_grid_v1_DeleteGridResponse__Output>): grpc.ClientUnaryCall;
  deleteGrid(argument: _edgeplane_grid_v1_DeleteGridRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_DeleteGridResponse__Output>): grpc.ClientUnaryCall;
  deleteGrid(argument: _edgeplane_grid_v1_DeleteGridRequest, callback: grpc.requestCallback<_edgeplane_grid_v1_DeleteGridResponse__Output>): grpc.ClientUnaryCall;
  
  GetGrid(argument: _edgeplane_grid_v1_GetGridRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_Grid__Output>): grpc.ClientUnaryCall;
  GetGrid(argument: _edgeplane_grid_v1_GetGridRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_grid_v1_Grid__Output>): grpc.ClientUnaryCall;
  GetGrid(argument: _edgeplane_grid_v1_GetGridRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_Grid__Output>): grpc.ClientUnaryCall;
  GetGrid(argument: _edgeplane_grid_v1_GetGridRequest, callback: grpc.requestCallback<_edgeplane_grid_v1_Grid__Output>): grpc.ClientUnaryCall;
  getGrid(argument: _edgeplane_grid_v1_GetGridRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_Grid__Output>): grpc.ClientUnaryCall;
  getGrid(argument: _edgeplane_grid_v1_GetGridRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_grid_v1_Grid__Output>): grpc.ClientUnaryCall;
  getGrid(argument: _edgeplane_grid_v1_GetGridRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_Grid__Output>): grpc.ClientUnaryCall;
  getGrid(argument: _edgeplane_grid_v1_GetGridRequest, callback: grpc.requestCallback<_edgeplane_grid_v1_Grid__Output>): grpc.ClientUnaryCall;
  
  GetPod(argument: _edgeplane_grid_v1_GetPodRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_Pod__Output>): grpc.ClientUnaryCall;
  GetPod(argument: _edgeplane_grid_v1_GetPodRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_grid_v1_Pod__Output>): grpc.ClientUnaryCall;
  GetPod(argument: _edgeplane_grid_v1_GetPodRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_Pod__Output>): grpc.ClientUnaryCall;
  GetPod(argument: _edgeplane_grid_v1_GetPodRequest, callback: grpc.requestCallback<_edgeplane_grid_v1_Pod__Output>): grpc.ClientUnaryCall;
  getPod(argument: _edgeplane_grid_v1_GetPodRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_Pod__Output>): grpc.ClientUnaryCall;
  getPod(argument: _edgeplane_grid_v1_GetPodRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_grid_v1_Pod__Output>): grpc.ClientUnaryCall;
  getPod(argument: _edgeplane_grid_v1_GetPodRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_Pod__Output>): grpc.ClientUnaryCall;
  getPod(argument: _edgeplane_grid_v1_GetPodRequest, callback: grpc.requestCallback<_edgeplane_grid_v1_Pod__Output>): grpc.ClientUnaryCall;
  
  ListGrids(argument: _edgeplane_grid_v1_ListGridsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_ListGridsResponse__Output>): grpc.ClientUnaryCall;
  ListGrids(argument: _edgeplane_grid_v1_ListGridsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_grid_v1_ListGridsResponse__Output>): grpc.ClientUnaryCall;
  ListGrids(argument: _edgeplane_grid_v1_ListGridsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_ListGridsResponse__Output>): grpc.ClientUnaryCall;
  ListGrids(argument: _edgeplane_grid_v1_ListGridsRequest, callback: grpc.requestCallback<_edgeplane_grid_v1_ListGridsResponse__Output>): grpc.ClientUnaryCall;
  listGrids(argument: _edgeplane_grid_v1_ListGridsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_ListGridsResponse__Output>): grpc.ClientUnaryCall;
  listGrids(argument: _edgeplane_grid_v1_ListGridsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_grid_v1_ListGridsResponse__Output>): grpc.ClientUnaryCall;
  listGrids(argument: _edgeplane_grid_v1_ListGridsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_ListGridsResponse__Output>): grpc.ClientUnaryCall;
  listGrids(argument: _edgeplane_grid_v1_ListGridsRequest, callback: grpc.requestCallback<_edgeplane_grid_v1_ListGridsResponse__Output>): grpc.ClientUnaryCall;
  
  ListPods(argument: _edgeplane_grid_v1_ListPodsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_ListPodsResponse__Output>): grpc.ClientUnaryCall;
  ListPods(argument: _edgeplane_grid_v1_ListPodsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_grid_v1_ListPodsResponse__Output>): grpc.ClientUnaryCall;
  ListPods(argument: _edgeplane_grid_v1_ListPodsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_ListPodsResponse__Output>): grpc.ClientUnaryCall;
  ListPods(argument: _edgeplane_grid_v1_ListPodsRequest, callback: grpc.requestCallback<_edgeplane_grid_v1_ListPodsResponse__Output>): grpc.ClientUnaryCall;
  listPods(argument: _edgeplane_grid_v1_ListPodsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_ListPodsResponse__Output>): grpc.ClientUnaryCall;
  listPods(argument: _edgeplane_grid_v1_ListPodsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_grid_v1_ListPodsResponse__Output>): grpc.ClientUnaryCall;
  listPods(argument: _edgeplane_grid_v1_ListPodsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_ListPodsResponse__Output>): grpc.ClientUnaryCall;
  listPods(argument: _edgeplane_grid_v1_ListPodsRequest, callback: grpc.requestCallback<_edgeplane_grid_v1_ListPodsResponse__Output>): grpc.ClientUnaryCall;
  
  Pause(argument: _edgeplane_grid_v1_RolloutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  Pause(argument: _edgeplane_grid_v1_RolloutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  Pause(argument: _edgeplane_grid_v1_RolloutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  Pause(argument: _edgeplane_grid_v1_RolloutRequest, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  pause(argument: _edgeplane_grid_v1_RolloutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  pause(argument: _edgeplane_grid_v1_RolloutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  pause(argument: _edgeplane_grid_v1_RolloutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  pause(argument: _edgeplane_grid_v1_RolloutRequest, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  
  Render(argument: _edgeplane_grid_v1_RenderGridRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_RenderGridResponse__Output>): grpc.ClientUnaryCall;
  Render(argument: _edgeplane_grid_v1_RenderGridRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_grid_v1_RenderGridResponse__Output>): grpc.ClientUnaryCall;
  Render(argument: _edgeplane_grid_v1_RenderGridRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_RenderGridResponse__Output>): grpc.ClientUnaryCall;
  Render(argument: _edgeplane_grid_v1_RenderGridRequest, callback: grpc.requestCallback<_edgeplane_grid_v1_RenderGridResponse__Output>): grpc.ClientUnaryCall;
  render(argument: _edgeplane_grid_v1_RenderGridRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_RenderGridResponse__Output>): grpc.ClientUnaryCall;
  render(argument: _edgeplane_grid_v1_RenderGridRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_grid_v1_RenderGridResponse__Output>): grpc.ClientUnaryCall;
  render(argument: _edgeplane_grid_v1_RenderGridRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_RenderGridResponse__Output>): grpc.ClientUnaryCall;
  render(argument: _edgeplane_grid_v1_RenderGridRequest, callback: grpc.requestCallback<_edgeplane_grid_v1_RenderGridResponse__Output>): grpc.ClientUnaryCall;
  
  Resume(argument: _edgeplane_grid_v1_RolloutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  Resume(argument: _edgeplane_grid_v1_RolloutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  Resume(argument: _edgeplane_grid_v1_RolloutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  Resume(argument: _edgeplane_grid_v1_RolloutRequest, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  resume(argument: _edgeplane_grid_v1_RolloutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  resume(argument: _edgeplane_grid_v1_RolloutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  resume(argument: _edgeplane_grid_v1_RolloutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  resume(argument: _edgeplane_grid_v1_RolloutRequest, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  
  RolloutStatus(argument: _edgeplane_grid_v1_RolloutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  RolloutStatus(argument: _edgeplane_grid_v1_RolloutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  RolloutStatus(argument: _edgeplane_grid_v1_RolloutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  RolloutStatus(argument: _edgeplane_grid_v1_RolloutRequest, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  rolloutStatus(argument: _edgeplane_grid_v1_RolloutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  rolloutStatus(argument: _edgeplane_grid_v1_RolloutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  rolloutStatus(argument: _edgeplane_grid_v1_RolloutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  rolloutStatus(argument: _edgeplane_grid_v1_RolloutRequest, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  
  Undo(argument: _edgeplane_grid_v1_RolloutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  Undo(argument: _edgeplane_grid_v1_RolloutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  Undo(argument: _edgeplane_grid_v1_RolloutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  Undo(argument: _edgeplane_grid_v1_RolloutRequest, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  undo(argument: _edgeplane_grid_v1_RolloutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  undo(argument: _edgeplane_grid_v1_RolloutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  undo(argument: _edgeplane_grid_v1_RolloutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  undo(argument: _edgeplane_grid_v1_RolloutRequest, callback: grpc.requestCallback<_edgeplane_grid_v1_Rollout__Output>): grpc.ClientUnaryCall;
  
}

export interface GridServiceHandlers extends grpc.UntypedServiceImplementation {
  Apply: grpc.handleUnaryCall<_edgeplane_grid_v1_ApplyGridRequest__Output, _edgeplane_grid_v1_ApplyGridResponse>;
  
  DeleteGrid: grpc.handleUnaryCall<_edgeplane_grid_v1_DeleteGridRequest__Output, _edgeplane_grid_v1_DeleteGridResponse>;
  
  GetGrid: grpc.handleUnaryCall<_edgeplane_grid_v1_GetGridRequest__Output, _edgeplane_grid_v1_Grid>;
  
  GetPod: grpc.handleUnaryCall<_edgeplane_grid_v1_GetPodRequest__Output, _edgeplane_grid_v1_Pod>;
  
  ListGrids: grpc.handleUnaryCall<_edgeplane_grid_v1_ListGridsRequest__Output, _edgeplane_grid_v1_ListGridsResponse>;
  
  ListPods: grpc.handleUnaryCall<_edgeplane_grid_v1_ListPodsRequest__Output, _edgeplane_grid_v1_ListPodsResponse>;
  
  Pause: grpc.handleUnaryCall<_edgeplane_grid_v1_RolloutRequest__Output, _edgeplane_grid_v1_Rollout>;
  
  Render: grpc.handleUnaryCall<_edgeplane_grid_v1_RenderGridRequest__Output, _edgeplane_grid_v1_RenderGridResponse>;
  
  Resume: grpc.handleUnaryCall<_edgeplane_grid_v1_RolloutRequest__Output, _edgeplane_grid_v1_Rollout>;
  
  RolloutStatus: grpc.handleUnaryCall<_edgeplane_grid_v1_RolloutRequest__Output, _edgeplane_grid_v1_Rollout>;
  
  Undo: grpc.handleUnaryCall<_edgeplane_grid_v1_RolloutRequest__Output, _edgeplane_grid_v1_Rollout>;
  
}

export interface GridServiceDefinition extends grpc.ServiceDefinition {
  Apply: MethodDefinition<_edgeplane_grid_v1_ApplyGridRequest, _edgeplane_grid_v1_ApplyGridResponse, _edgeplane_grid_v1_ApplyGridRequest__Output, _edgeplane_grid_v1_ApplyGridResponse__Output>
  DeleteGrid: MethodDefinition<_edgeplane_grid_v1_DeleteGridRequest, _edgeplane_grid_v1_DeleteGridResponse, _edgeplane_grid_v1_DeleteGridRequest__Output, _edgeplane_grid_v1_DeleteGridResponse__Output>
  GetGrid: MethodDefinition<_edgeplane_grid_v1_GetGridRequest, _edgeplane_grid_v1_Grid, _edgeplane_grid_v1_GetGridRequest__Output, _edgeplane_grid_v1_Grid__Output>
  GetPod: MethodDefinition<_edgeplane_grid_v1_GetPodRequest, _edgeplane_grid_v1_Pod, _edgeplane_grid_v1_GetPodRequest__Output, _edgeplane_grid_v1_Pod__Output>
  ListGrids: MethodDefinition<_edgeplane_grid_v1_ListGridsRequest, _edgeplane_grid_v1_ListGridsResponse, _edgeplane_grid_v1_ListGridsRequest__Output, _edgeplane_grid_v1_ListGridsResponse__Output>
  ListPods: MethodDefinition<_edgeplane_grid_v1_ListPodsRequest, _edgeplane_grid_v1_ListPodsResponse, _edgeplane_grid_v1_ListPodsRequest__Output, _edgeplane_grid_v1_ListPodsResponse__Output>
  Pause: MethodDefinition<_edgeplane_grid_v1_RolloutRequest, _edgeplane_grid_v1_Rollout, _edgeplane_grid_v1_RolloutRequest__Output, _edgeplane_grid_v1_Rollout__Output>
  Render: MethodDefinition<_edgeplane_grid_v1_RenderGridRequest, _edgeplane_grid_v1_RenderGridResponse, _edgeplane_grid_v1_RenderGridRequest__Output, _edgeplane_grid_v1_RenderGridResponse__Output>
  Resume: MethodDefinition<_edgeplane_grid_v1_RolloutRequest, _edgeplane_grid_v1_Rollout, _edgeplane_grid_v1_RolloutRequest__Output, _edgeplane_grid_v1_Rollout__Output>
  RolloutStatus: MethodDefinition<_edgeplane_grid_v1_RolloutRequest, _edgeplane_grid_v1_Rollout, _edgeplane_grid_v1_RolloutRequest__Output, _edgeplane_grid_v1_Rollout__Output>
  Undo: MethodDefinition<_edgeplane_grid_v1_RolloutRequest, _edgeplane_grid_v1_Rollout, _edgeplane_grid_v1_RolloutRequest__Output, _edgeplane_grid_v1_Rollout__Output>
}
