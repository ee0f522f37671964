// Original file: edgeplane/health/v1/health.proto

import type { Long } from '@grpc/proto-loader';

export interface PeerVote {
  'peer'?: (string);
  'healthy'?: (boolean);
  'ageMs'?: (number | string | Long);
  'fresh'?: (boolean);
  'abstained'?: (boolean);
  'counted'?: (boolean);
}

export interface PeerVote__Output {
  'peer': (string);
  'healthy': (boolean);
  'ageMs': (string);
  'fresh': (boolean);
  'abstained': (boolean);
  'counted': (boolean);
}
