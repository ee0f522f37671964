// Original file: edgeplane/admin/v1/admin.proto


export interface ParkedEvent {
  'eventId'?: (string);
  'position'?: (string);
  'type'?: (string);
  'bytes'?: (number);
  'reason'?: (string);
  'parkedAt'?: (string);
  'service'?: (string);
}

export interface ParkedEvent__Output {
  'eventId': (string);
  'position': (string);
  'type': (string);
  'bytes': (number);
  'reason': (string);
  'parkedAt': (string);
  'service': (string);
}
