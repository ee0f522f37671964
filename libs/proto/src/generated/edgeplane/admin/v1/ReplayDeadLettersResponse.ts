// Original file: edgeplane/admin/v1/admin.proto

import type { DeadLetterReplay as _edgeplane_admin_v1_DeadLetterReplay, DeadLetterReplay__Output as _edgeplane_admin_v1_DeadLetterReplay__Output } from '../../../edgeplane/admin/v1/DeadLetterReplay.js';

export interface ReplayDeadLettersResponse {
  'results'?: (_edgeplane_admin_v1_DeadLetterReplay)[];
}

export interface ReplayDeadLettersResponse__Output {
  'results': (_edgeplane_admin_v1_DeadLetterReplay__Output)[];
}
