// Original file: edgeplane/nodepool/v1/nodepool.proto

import type { AppliedChange as _edgeplane_nodepool_v1_AppliedChange, AppliedChange__Output as _edgeplane_nodepool_v1_AppliedChange__Output } from '../../../edgeplane/nodepool/v1/AppliedChange.js';

export interface ApplyResponse {
  'changes'?: (_edgeplane_nodepool_v1_AppliedChange)[];
  'warnings'?: (string)[];
}

export interface ApplyResponse__Output {
  'changes': (_edgeplane_nodepool_v1_AppliedChange__Output)[];
  'warnings': (string)[];
}
