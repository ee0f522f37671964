// Original file: edgeplane/events/v1/events.proto

import type { EventFilter as _edgeplane_events_v1_EventFilter, EventFilter__Output as _edgeplane_events_v1_EventFilter__Output } from '../../../edgeplane/events/v1/EventFilter.js';
import type { WebhookBatch as _edgeplane_events_v1_WebhookBatch, WebhookBatch__Output as _edgeplane_events_v1_WebhookBatch__Output } from '../../../edgeplane/events/v1/WebhookBatch.js';
import type { Long } from '@grpc/proto-loader';

export interface Webhook {
  'id'?: (string);
  'url'?: (string);
  'filter'?: (_edgeplane_events_v1_EventFilter | null);
  'description'?: (string);
  'createdAt'?: (string);
  'createdBy'?: (string);
  'state'?: (string);
  'failingSince'?: (string);
  'delivered'?: (number | string | Long);
  'parked'?: (number | string | Long);
  'batch'?: (_edgeplane_events_v1_WebhookBatch | null);
}

export interface Webhook__Output {
  'id': (string);
  'url': (string);
  'filter': (_edgeplane_events_v1_EventFilter__Output | null);
  'description': (string);
  'createdAt': (string);
  'createdBy': (string);
  'state': (string);
  'failingSince': (string);
  'delivered': (string);
  'parked': (string);
  'batch': (_edgeplane_events_v1_WebhookBatch__Output | null);
}
