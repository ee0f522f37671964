// Original file: edgeplane/events/v1/events.proto

import type { EventFilter as _edgeplane_events_v1_EventFilter, EventFilter__Output as _edgeplane_events_v1_EventFilter__Output } from '../../../edgeplane/events/v1/EventFilter.js';
import type { WebhookBatch as _edgeplane_events_v1_WebhookBatch, WebhookBatch__Output as _edgeplane_events_v1_WebhookBatch__Output } from '../../../edgeplane/events/v1/WebhookBatch.js';

export interface CreateWebhookRequest {
  'url'?: (string);
  'filter'?: (_edgeplane_events_v1_EventFilter | null);
  'description'?: (string);
  'batch'?: (_edgeplane_events_v1_WebhookBatch | null);
}

export interface CreateWebhookRequest__Output {
  'url': (string);
  'filter': (_edgeplane_events_v1_EventFilter__Output | null);
  'description': (string);
  'batch': (_edgeplane_events_v1_WebhookBatch__Output | null);
}
