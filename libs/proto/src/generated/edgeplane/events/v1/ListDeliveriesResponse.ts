// Original file: edgeplane/events/v1/events.proto

import type { Delivery as _edgeplane_events_v1_Delivery, Delivery__Output as _edgeplane_events_v1_Delivery__Output } from '../../../edgeplane/events/v1/Delivery.js';

export interface ListDeliveriesResponse {
  'deliveries'?: (_edgeplane_events_v1_Delivery)[];
  'nextPageToken'?: (string);
}

export interface ListDeliveriesResponse__Output {
  'deliveries': (_edgeplane_events_v1_Delivery__Output)[];
  'nextPageToken': (string);
}
