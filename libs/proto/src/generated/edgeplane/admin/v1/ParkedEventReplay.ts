// Original file: edgeplane/admin/v1/admin.proto


export interface ParkedEventReplay {
  'eventId'?: (string);
  'outcome'?: (string);
  'detail'?: (string);
}

export interface ParkedEventReplay__Output {
  'eventId': (string);
  'outcome': (string);
  'detail': (string);
}
