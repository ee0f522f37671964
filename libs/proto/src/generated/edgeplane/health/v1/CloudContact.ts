// Original file: edgeplane/health/v1/health.proto

import type { Long } from '@grpc/proto-loader';

export interface CloudContact {
  'lastSeen'?: (string);
  'ageMs'?: (number | string | Long);
  'lost'?: (boolean);
  'graceMs'?: (number);
}

export interface CloudContact__Output {
  'lastSeen': (string);
  'ageMs': (string);
  'lost': (boolean);
  'graceMs': (number);
}
