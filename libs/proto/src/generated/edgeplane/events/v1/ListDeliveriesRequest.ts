// Original file: edgeplane/events/v1/events.proto


export interface ListDeliveriesRequest {
  'webhookId'?: (string);
  'state'?: (string);
  'pageSize'?: (number);
  'pageToken'?: (string);
}

export interface ListDeliveriesRequest__Output {
  'webhookId': (string);
  'state': (string);
  'pageSize': (number);
  'pageToken': (string);
}
