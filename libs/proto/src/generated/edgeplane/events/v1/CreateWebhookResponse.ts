// Original file: edgeplane/events/v1/events.proto

import type { Webhook as _edgeplane_events_v1_Webhook, Webhook__Output as _edgeplane_events_v1_Webhook__Output } from '../../../edgeplane/events/v1/Webhook.js';

export interface CreateWebhookResponse {
  'webhook'?: (_edgeplane_events_v1_Webhook | null);
  'secret'?: (string);
}

export interface CreateWebhookResponse__Output {
  'webhook': (_edgeplane_events_v1_Webhook__Output | null);
  'secret': (string);
}
