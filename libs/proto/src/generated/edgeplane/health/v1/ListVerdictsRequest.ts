// Original file: edgeplane/health/v1/health.proto

import type { Verdict as _edgeplane_health_v1_Verdict, Verdict__Output as _edgeplane_health_v1_Verdict__Output } from '../../../edgeplane/health/v1/Verdict.js';

export interface ListVerdictsRequest {
  'cluster'?: (string);
  'verdicts'?: (_edgeplane_health_v1_Verdict)[];
  'pageSize'?: (number);
  'pageToken'?: (string);
}

export interface ListVerdictsRequest__Output {
  'cluster': (string);
  'verdicts': (_edgeplane_health_v1_Verdict__Output)[];
  'pageSize': (number);
  'pageToken': (string);
}
