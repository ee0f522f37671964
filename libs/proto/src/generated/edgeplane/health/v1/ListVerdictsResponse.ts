// Original file: edgeplane/health/v1/health.proto

import type { NodeVerdict as _edgeplane_health_v1_NodeVerdict, NodeVerdict__Output as _edgeplane_health_v1_NodeVerdict__Output } from '../../../edgeplane/health/v1/NodeVerdict.js';

export interface ListVerdictsResponse {
  'verdicts'?: (_edgeplane_health_v1_NodeVerdict)[];
  'nextPageToken'?: (string);
}

export interface ListVerdictsResponse__Output {
  'verdicts': (_edgeplane_health_v1_NodeVerdict__Output)[];
  'nextPageToken': (string);
}
