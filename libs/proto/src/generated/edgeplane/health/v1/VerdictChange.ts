// Original file: edgeplane/health/v1/health.proto

import type { Verdict as _edgeplane_health_v1_Verdict, Verdict__Output as _edgeplane_health_v1_Verdict__Output } from '../../../edgeplane/health/v1/Verdict.js';

export interface VerdictChange {
  'at'?: (string);
  'verdict'?: (_edgeplane_health_v1_Verdict);
  'previous'?: (_edgeplane_health_v1_Verdict);
  'rule'?: (string);
}

export interface VerdictChange__Output {
  'at': (string);
  'verdict': (_edgeplane_health_v1_Verdict__Output);
  'previous': (_edgeplane_health_v1_Verdict__Output);
  'rule': (string);
}
