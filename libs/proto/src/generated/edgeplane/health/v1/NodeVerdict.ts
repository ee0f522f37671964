// Original file: edgeplane/health/v1/health.proto

import type { Verdict as _edgeplane_health_v1_Verdict, Verdict__Output as _edgeplane_health_v1_Verdict__Output } from '../../../edgeplane/health/v1/Verdict.js';
import type { Quorum as _edgeplane_health_v1_Quorum, Quorum__Output as _edgeplane_health_v1_Quorum__Output } from '../../../edgeplane/health/v1/Quorum.js';

export interface NodeVerdict {
  'node'?: (string);
  'verdict'?: (_edgeplane_health_v1_Verdict);
  'rule'?: (string);
  'since'?: (string);
  'units'?: (string)[];
  'cloudLost'?: (boolean);
  'cloudLastSeen'?: (string);
  'quorum'?: (_edgeplane_health_v1_Quorum | null);
}

export interface NodeVerdict__Output {
  'node': (string);
  'verdict': (_edgeplane_health_v1_Verdict__Output);
  'rule': (string);
  'since': (string);
  'units': (string)[];
  'cloudLost': (boolean);
  'cloudLastSeen': (string);
  'quorum': (_edgeplane_health_v1_Quorum__Output | null);
}
