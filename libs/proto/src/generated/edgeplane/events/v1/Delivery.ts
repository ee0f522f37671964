// Original file: edgeplane/events/v1/events.proto

import type { Long } from '@grpc/proto-loader';

export interface Delivery {
  'id'?: (string);
  'webhookId'?: (string);
  'eventId'?: (string);
  'eventType'?: (string);
  'source'?: (string);
  'sequence'?: (number | string | Long);
  'state'?: (string);
  'attempts'?: (number);
  'firstAttemptAt'?: (string);
  'lastAttemptAt'?: (string);
  'nextAttemptAt'?: (string);
  'lastError'?: (string);
  'lastStatus'?: (number);
  'eventIds'?: (string)[];
}

export interface Delivery__Output {
  'id': (string);
  'webhookId': (string);
  'eventId': (string);
  'eventType': (string);
  'source': (string);
  'sequence': (string);
  'state': (string);
  'attempts': (number);
  'firstAttemptAt': (string);
  'lastAttemptAt': (string);
  'nextAttemptAt': (string);
  'lastError': (string);
  'lastStatus': (number);
  'eventIds': (string)[];
}
