// Original file: edgeplane/admin/v1/admin.proto

import type { ParkedEvent as _edgeplane_admin_v1_ParkedEvent, ParkedEvent__Output as _edgeplane_admin_v1_ParkedEvent__Output } from '../../../edgeplane/admin/v1/ParkedEvent.js';

export interface ListParkedEventsResponse {
  'events'?: (_edgeplane_admin_v1_ParkedEvent)[];
}

export interface ListParkedEventsResponse__Output {
  'events': (_edgeplane_admin_v1_ParkedEvent__Output)[];
}
