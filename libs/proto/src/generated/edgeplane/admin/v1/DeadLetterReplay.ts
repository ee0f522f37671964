// Original file: edgeplane/admin/v1/admin.proto


export interface DeadLetterReplay {
  'id'?: (string);
  'durable'?: (string);
  'eventId'?: (string);
  'outcome'?: (string);
  'detail'?: (string);
}

export interface DeadLetterReplay__Output {
  'id': (string);
  'durable': (string);
  'eventId': (string);
  'outcome': (string);
  'detail': (string);
}
