// Original file: edgeplane/events/v1/events.proto

import type { Long } from '@grpc/proto-loader';

export interface Event {
  'id'?: (string);
  'type'?: (string);
  'version'?: (number);
  'streamId'?: (string);
  'streamPosition'?: (number | string | Long);
  'occurredAt'?: (string);
  'actor'?: (string);
  'dataJson'?: (string);
  'clusterId'?: (string);
  'source'?: (string);
  'sequence'?: (number | string | Long);
}

export interface Event__Output {
  'id': (string);
  'type': (string);
  'version': (number);
  'streamId': (string);
  'streamPosition': (string);
  'occurredAt': (string);
  'actor': (string);
  'dataJson': (string);
  'clusterId': (string);
  'source': (string);
  'sequence': (string);
}
