// Original file: edgeplane/events/v1/events.proto

import type { Webhook as _edgeplane_events_v1_Webhook, Webhook__Output as _edgeplane_events_v1_Webhook__Output } from '../../../edgeplane/events/v1/Webhook.js';

export interface ListWebhooksResponse {
  'webhooks'?: (_edgeplane_events_v1_Webhook)[];
  'nextPageToken'?: (string);
}

export interface ListWebhooksResponse__Output {
  'webhooks': (_edgeplane_events_v1_Webhook__Output)[];
  'nextPageToken': (string);
}
