// Original file: edgeplane/events/v1/events.proto

import type { Event as _edgeplane_events_v1_Event, Event__Output as _edgeplane_events_v1_Event__Output } from '../../../edgeplane/events/v1/Event.js';

export interface SubscribeResponse {
  'event'?: (_edgeplane_events_v1_Event | null);
  'cursor'?: (string);
  'batch'?: (_edgeplane_events_v1_Event)[];
}

export interface SubscribeResponse__Output {
  'event': (_edgeplane_events_v1_Event__Output | null);
  'cursor': (string);
  'batch': (_edgeplane_events_v1_Event__Output)[];
}
