// Original file: edgeplane/events/v1/events.proto

import type { EventFilter as _edgeplane_events_v1_EventFilter, EventFilter__Output as _edgeplane_events_v1_EventFilter__Output } from '../../../edgeplane/events/v1/EventFilter.js';

export interface SubscribeRequest {
  'filter'?: (_edgeplane_events_v1_EventFilter | null);
  'cursor'?: (string);
  'since'?: (string);
  'now'?: (boolean);
  'maxBatch'?: (number);
  'from'?: "cursor"|"since"|"now";
}

export interface SubscribeRequest__Output {
  'filter': (_edgeplane_events_v1_EventFilter__Output | null);
  'cursor'?: (string);
  'since'?: (string);
  'now'?: (boolean);
  'maxBatch': (number);
  'from'?: "cursor"|"since"|"now";
}
