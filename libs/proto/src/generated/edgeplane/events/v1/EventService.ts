// Original file: edgeplane/events/v1/events.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateWebhookRequest as _edgeplane_events_v1_CreateWebhookRequest, CreateWebhookRequest__Output as _edgeplane_events_v1_CreateWebhookRequest__Output } from '../../../edgeplane/events/v1/CreateWebhookRequest.js';
import type { CreateWebhookResponse as _edgeplane_events_v1_CreateWebhookResponse, CreateWebhookResponse__Output as _edgeplane_events_v1_CreateWebhookResponse__Output } from '../../../edgeplane/events/v1/CreateWebhookResponse.js';
import type { DeleteWebhookRequest as _edgeplane_events_v1_DeleteWebhookRequest, DeleteWebhookRequest__Output as _edgeplane_events_v1_DeleteWebhookRequest__Output } from '../../../edgeplane/events/v1/DeleteWebhookRequest.js';
import type { Delivery as _edgeplane_events_v1_Delivery, Delivery__Output as _edgeplane_events_v1_Delivery__Output } from '../../../edgeplane/events/v1/Delivery.js';
import type { Event as _edgeplane_events_v1_Event, Event__Output as _edgeplane_events_v1_Event__Output } from '../../../edgeplane/events/v1/Event.js';
import type { GetEventRequest as _edgeplane_events_v1_GetEventRequest, GetEventRequest__Output as _edgeplane_events_v1_GetEventRequest__Output } from '../../../edgeplane/events/v1/GetEventRequest.js';
import type { ListDeliveriesRequest as _edgeplane_events_v1_ListDeliveriesRequest, ListDeliveriesRequest__Output as _edgeplane_events_v1_ListDeliveriesRequest__Output } from '../../../edgeplane/events/v1/ListDeliveriesRequest.js';
import type { ListDeliveriesResponse as _edgeplane_events_v1_ListDeliveriesResponse, ListDeliveriesResponse__Output as _edgeplane_events_v1_ListDeliveriesResponse__Output } from '../../../edgeplane/events/v1/ListDeliveriesResponse.js';
import type { ListWebhooksRequest as _edgeplane_events_v1_ListWebhooksRequest, ListWebhooksRequest__Output as _edgeplane_events_v1_ListWebhooksRequest__Output } from '../../../edgeplane/events/v1/ListWebhooksRequest.js';
import type { ListWebhooksResponse as _edgeplane_events_v1_ListWebhooksResponse, ListWebhooksResponse__Output as _edgeplane_events_v1_ListWebhooksResponse__Output } from '../../../edgeplane/events/v1/ListWebhooksResponse.js';
import type { RedeliverRequest as _edgeplane_events_v1_RedeliverRequest, RedeliverRequest__Output as _edgeplane_events_v1_RedeliverRequest__Output } from '../../../edgeplane/events/v1/RedeliverRequest.js';
import type { SubscribeRequest as _edgeplane_events_v1_SubscribeRequest, SubscribeRequest__Output as _edgeplane_events_v1_SubscribeRequest__Output } from '../../../edgeplane/events/v1/SubscribeRequest.js';
import type { SubscribeResponse as _edgeplane_events_v1_SubscribeResponse, SubscribeResponse__Output as _edgeplane_events_v1_SubscribeResponse__Output } from '../../../edgeplane/events/v1/SubscribeResponse.js';
import type { Webhook as _edgeplane_events_v1_Webhook, Webhook__Output as _edgeplane_events_v1_Webhook__Output } from '../../../edgeplane/events/v1/Webhook.js';

export interface EventServiceClient extends grpc.Client {
  CreateWebhook(argument: _edgeplane_events_v1_CreateWebhookRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_events_v1_CreateWebhookResponse__Output>): grpc.ClientUnaryCall;
  CreateWebhook(argument: _edgeplane_events_v1_CreateWebhookRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_events_v1_CreateWebhookResponse__Output>): grpc.ClientUnaryCall;
  CreateWebhook(argument: _edgeplane_events_v1_CreateWebhookRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_events_v1_CreateWebhookResponse__Output>): grpc.ClientUnaryCall;
  CreateWebhook(argument: _edgeplane_events_v1_CreateWebhookRequest, callback: grpc.requestCallback<_edgeplane_events_v1_CreateWebhookResponse__Output>): grpc.ClientUnaryCall;
  createWebhook(argument: _edgeplane_events_v1_CreateWebhookRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_events_v1_CreateWebhookResponse__Output>): grpc.ClientUnaryCall;
  createWebhook(argument: _edgeplane_events_v1_CreateWebhookRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_events_v1_CreateWebhookResponse__Output>): grpc.ClientUnaryCall;
  createWebhook(argument: _edgeplane_events_v1_CreateWebhookRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_events_v1_CreateWebhookResponse__Output>): grpc.ClientUnaryCall;
  createWebhook(argument: _edgeplane_events_v1_CreateWebhookRequest, callback: grpc.requestCallback<_edgeplane_events_v1_CreateWebhookResponse__Output>): grpc.ClientUnaryCall;
  
  DeleteWebhook(argument: _edgeplane_events_v1_DeleteWebhookRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_events_v1_Webhook__Output>): grpc.ClientUnaryCall;
  DeleteWebhook(argument: _edgeplane_events_v1_DeleteWebhookRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_events_v1_Webhook__Output>): grpc.ClientUnaryCall;
  DeleteWebhook(argument: _edgeplane_events_v1_DeleteWebhookRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_events_v1_Webhook__Output>): grpc.ClientUnaryCall;
  DeleteWebhook(argument: _edgeplane_events_v1_DeleteWebhookRequest, callback: grpc.requestCallback<_edgeplane_events_v1_Webhook__Output>): grpc.ClientUnaryCall;
  deleteWebhook(argument: _edgeplane_events_v1_DeleteWebhookRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_events_v1_Webhook__Output>): grpc.ClientUnaryCall;
  deleteWebhook(argument: _edgeplane_events_v1_DeleteWebhookRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_events_v1_Webhook__Output>): grpc.ClientUnaryCall;
  deleteWebhook(argument: _edgeplane_events_v1_DeleteWebhookRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_events_v1_Webhook__Output>): grpc.ClientUnaryCall;
  deleteWebhook(argument: _edgeplane_events_v1_DeleteWebhookRequest, callback: grpc.requestCallback<_edgeplane_events_v1_Webhook__Output>): grpc.ClientUnaryCall;
  
  GetEvent(argument: _edgeplane_events_v1_GetEventRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_events_v1_Event__Output>): grpc.ClientUnaryCall;
  GetEvent(argument: _edgeplane_events_v1_GetEventRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_events_v1_Event__Output>): grpc.ClientUnaryCall;
  GetEvent(argument: _edgeplane_events_v1_GetEventRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_events_v1_Event__Output>): grpc.ClientUnaryCall;
  GetEvent(argument: _edgeplane_events_v1_GetEventRequest, callback: grpc.requestCallback<_edgeplane_events_v1_Event__Output>): grpc.ClientUnaryCall;
  getEvent(argument: _edgeplane_events_v1_GetEventRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_events_v1_Event__Output>): grpc.ClientUnaryCall;
  getEvent(argument: _edgeplane_events_v1_GetEventRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_events_v1_Event__Output>): grpc.ClientUnaryCall;
  getEvent(argument: _edgeplane_events_v1_GetEventRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_events_v1_Event__Output>): grpc.ClientUnaryCall;
  getEvent(argument: _edgeplane_events_v1_GetEventRequest, callback: grpc.requestCallback<_edgeplane_events_v1_Event__Output>): grpc.ClientUnaryCall;
  
  ListDeliveries(argument: _edgeplane_events_v1_ListDeliveriesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_events_v1_ListDeliveriesResponse__Output>): grpc.ClientUnaryCall;
  ListDeliveries(argument: _edgeplane_events_v1_ListDeliveriesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_events_v1_ListDeliveriesResponse__Output>): grpc.ClientUnaryCall;
  ListDeliveries(argument: _edgeplane_events_v1_ListDeliveriesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_events_v1_ListDeliveriesResponse__Output>): grpc.ClientUnaryCall;
  ListDeliveries(argument: _edgeplane_events_v1_ListDeliveriesRequest, callback: grpc.requestCallback<_edgeplane_events_v1_ListDeliveriesResponse__Output>): grpc.ClientUnaryCall;
  listDeliveries(argument: _edgeplane_events_v1_ListDeliveriesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_events_v1_ListDeliveriesResponse__Output>): grpc.ClientUnaryCall;
  listDeliveries(argument: _edgeplane_events_v1_ListDeliveriesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_events_v1_ListDeliveriesResponse__Output>): grpc.ClientUnaryCall;
  listDeliveries(argument: _edgeplane_events_v1_ListDeliveriesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_events_v1_ListDeliveriesResponse__Output>): grpc.ClientUnaryCall;
  listDeliveries(argument: _edgeplane_events_v1_ListDeliveriesRequest, callback: grpc.requestCallback<_edgeplane_events_v1_ListDeliveriesResponse__Output>): grpc.ClientUnaryCall;
  
  ListWebhooks(argument: _edgeplane_events_v1_ListWebhooksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_events_v1_ListWebhooksResponse__Output>): grpc.ClientUnaryCall;
  ListWebhooks(argument: _edgeplane_events_v1_ListWebhooksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_events_v1_ListWebhooksResponse__Output>): grpc.ClientUnaryCall;
  ListWebhooks(argument: _edgeplane_events_v1_ListWebhooksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_events_v1_ListWebhooksResponse__Output>): grpc.ClientUnaryCall;
  ListWebhooks(argument: _edgeplane_events_v1_ListWebhooksRequest, callback: grpc.requestCallback<_edgeplane_events_v1_ListWebhooksResponse__Output>): grpc.ClientUnaryCall;
  listWebhooks(argument: _edgeplane_events_v1_ListWebhooksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_events_v1_ListWebhooksResponse__Output>): grpc.ClientUnaryCall;
  listWebhooks(argument: _edgeplane_events_v1_ListWebhooksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_events_v1_ListWebhooksResponse__Output>): grpc.ClientUnaryCall;
  listWebhooks(argument: _edgeplane_events_v1_ListWebhooksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_events_v1_ListWebhooksResponse__Output>): grpc.ClientUnaryCall;
  listWebhooks(argument: _edgeplane_events_v1_ListWebhooksRequest, callback: grpc.requestCallback<_edgeplane_events_v1_ListWebhooksResponse__Output>): grpc.ClientUnaryCall;
  
  Redeliver(argument: _edgeplane_events_v1_RedeliverRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_events_v1_Delivery__Output>): grpc.ClientUnaryCall;
  Redeliver(argument: _edgeplane_events_v1_RedeliverRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_events_v1_Delivery__Output>): grpc.ClientUnaryCall;
  Redeliver(argument: _edgeplane_events_v1_RedeliverRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_events_v1_Delivery__Output>): grpc.ClientUnaryCall;
  Redeliver(argument: _edgeplane_events_v1_RedeliverRequest, callback: grpc.requestCallback<_edgeplane_events_v1_Delivery__Output>): grpc.ClientUnaryCall;
  redeliver(argument: _edgeplane_events_v1_RedeliverRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_events_v1_Delivery__Output>): grpc.ClientUnaryCall;
  redeliver(argument: _edgeplane_events_v1_RedeliverRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edgeplane_events_v1_Delivery__Output>): grpc.ClientUnaryCall;
  redeliver(argument: _edgeplane_events_v1_RedeliverRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edgeplane_events_v1_Delivery__Output>): grpc.ClientUnaryCall;
  redeliver(argument: _edgeplane_events_v1_RedeliverRequest, callback: grpc.requestCallback<_edgeplane_events_v1_Delivery__Output>): grpc.ClientUnaryCall;
  
  Subscribe(argument: _edgeplane_events_v1_SubscribeRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_edgeplane_events_v1_SubscribeResponse__Output>;
  Subscribe(argument: _edgeplane_events_v1_SubscribeRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_edgeplane_events_v1_SubscribeResponse__Output>;
  subscribe(argument: _edgeplane_events_v1_SubscribeRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_edgeplane_events_v1_SubscribeResponse__Output>;
  subscribe(argument: _edgeplane_events_v1_SubscribeRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_edgeplane_events_v1_SubscribeResponse__Output>;
  
}

export interface EventServiceHandlers extends grpc.UntypedServiceImplementation {
  CreateWebhook: grpc.handleUnaryCall<_edgeplane_events_v1_CreateWebhookRequest__Output, _edgeplane_events_v1_CreateWebhookResponse>;
  
  DeleteWebhook: grpc.handleUnaryCall<_edgeplane_events_v1_DeleteWebhookRequest__Output, _edgeplane_events_v1_Webhook>;
  
  GetEvent: grpc.handleUnaryCall<_edgeplane_events_v1_GetEventRequest__Output, _edgeplane_events_v1_Event>;
  
  ListDeliveries: grpc.handleUnaryCall<_edgeplane_events_v1_ListDeliveriesRequest__Output, _edgeplane_events_v1_ListDeliveriesResponse>;
  
  ListWebhooks: grpc.handleUnaryCall<_edgeplane_events_v1_ListWebhooksRequest__Output, _edgeplane_events_v1_ListWebhooksResponse>;
  
  Redeliver: grpc.handleUnaryCall<_edgeplane_events_v1_RedeliverRequest__Output, _edgeplane_events_v1_Delivery>;
  
  Subscribe: grpc.handleServerStreamingCall<_edgeplane_events_v1_SubscribeRequest__Output, _edgeplane_events_v1_SubscribeResponse>;
  
}

export interface EventServiceDefinition extends grpc.ServiceDefinition {
  CreateWebhook: MethodDefinition<_edgeplane_events_v1_CreateWebhookRequest, _edgeplane_events_v1_CreateWebhookResponse, _edgeplane_events_v1_CreateWebhookRequest__Output, _edgeplane_events_v1_CreateWebhookResponse__Output>
  DeleteWebhook: MethodDefinition<_edgeplane_events_v1_DeleteWebhookRequest, _edgeplane_events_v1_Webhook, _edgeplane_events_v1_DeleteWebhookRequest__Output, _edgeplane_events_v1_Webhook__Output>
  GetEvent: MethodDefinition<_edgeplane_events_v1_GetEventRequest, _edgeplane_events_v1_Event, _edgeplane_events_v1_GetEventRequest__Output, _edgeplane_events_v1_Event__Output>
  ListDeliveries: MethodDefinition<_edgeplane_events_v1_ListDeliveriesRequest, _edgeplane_events_v1_ListDeliveriesResponse, _edgeplane_events_v1_ListDeliveriesRequest__Output, _edgeplane_events_v1_ListDeliveriesResponse__Output>
  ListWebhooks: MethodDefinition<_edgeplane_events_v1_ListWebhooksRequest, _edgeplane_events_v1_ListWebhooksResponse, _edgeplane_events_v1_ListWebhooksRequest__Output, _edgeplane_events_v1_ListWebhooksResponse__Output>
  Redeliver: MethodDefinition<_edgeplane_events_v1_RedeliverRequest, _edgeplane_events_v1_Delivery, _edgeplane_events_v1_RedeliverRequest__Output, _edgeplane_events_v1_Delivery__Output>
  Subscribe: MethodDefinition<_edgeplane_events_v1_SubscribeRequest, _edgeplane_events_v1_SubscribeResponse, _edgeplane_events_v1_SubscribeRequest__Output, _edgeplane_events_v1_SubscribeResponse__Output>
}
