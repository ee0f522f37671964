// Original file: edgeplane/tunnel/v1/tunnel.proto

import type { Long } from '@grpc/proto-loader';

export interface PodStreamRequest {
  'namespace'?: (string);
  'name'?: (string);
  'uid'?: (string);
  'container'?: (string);
  'follow'?: (boolean);
  'tailLines'?: (number);
  'timestamps'?: (boolean);
  'previous'?: (boolean);
  'limitBytes'?: (number | string | Long);
  'command'?: (string)[];
  'timeoutSeconds'?: (number);
  'stdin'?: (boolean);
}

export interface PodStreamRequest__Output {
  'namespace': (string);
  'name': (string);
  'uid': (string);
  'container': (string);
  'follow': (boolean);
  'tailLines': (number);
  'timestamps': (boolean);
  'previous': (boolean);
  'limitBytes': (string);
  'command': (string)[];
  'timeoutSeconds': (number);
  'stdin': (boolean);
}
