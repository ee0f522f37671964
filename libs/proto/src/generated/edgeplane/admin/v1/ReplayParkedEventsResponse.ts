// Original file: edgeplane/admin/v1/admin.proto

import type { ParkedEventReplay as _edgeplane_admin_v1_ParkedEventReplay, ParkedEventReplay__Output as _edgeplane_admin_v1_ParkedEventReplay__Output } from '../../../edgeplane/admin/v1/ParkedEventReplay.js';

export interface ReplayParkedEventsResponse {
  'results'?: (_edgeplane_admin_v1_ParkedEventReplay)[];
  'service'?: (string);
}

export interface ReplayParkedEventsResponse__Output {
  'results': (_edgeplane_admin_v1_ParkedEventReplay__Output)[];
  'service': (string);
}
