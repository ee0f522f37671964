// Original file: edgeplane/admin/v1/admin.proto


export interface DeadLetter {
  'id'?: (string);
  'durable'?: (string);
  'service'?: (string);
  'eventType'?: (string);
  'eventId'?: (string);
  'error'?: (string);
  'errorType'?: (string);
  'deliveryCount'?: (number);
  'originalSubject'?: (string);
  'originalSequence'?: (string);
  'deadLetteredAt'?: (string);
}

export interface DeadLetter__Output {
  'id': (string);
  'durable': (string);
  'service': (string);
  'eventType': (string);
  'eventId': (string);
  'error': (string);
  'errorType': (string);
  'deliveryCount': (number);
  'originalSubject': (string);
  'originalSequence': (string);
  'deadLetteredAt': (string);
}
