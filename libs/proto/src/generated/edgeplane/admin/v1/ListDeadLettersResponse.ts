// Original file: edgeplane/admin/v1/admin.proto

import type { DeadLetter as _edgeplane_admin_v1_DeadLetter, DeadLetter__Output as _edgeplane_admin_v1_DeadLetter__Output } from '../../../edgeplane/admin/v1/DeadLetter.js';

export interface ListDeadLettersResponse {
  'deadLetters'?: (_edgeplane_admin_v1_DeadLetter)[];
  'nextPageToken'?: (string);
}

export interface ListDeadLettersResponse__Output {
  'deadLetters': (_edgeplane_admin_v1_DeadLetter__Output)[];
  'nextPageToken': (string);
}
