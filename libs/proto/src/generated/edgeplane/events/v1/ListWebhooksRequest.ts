// Original file: edgeplane/events/v1/events.proto


export interface ListWebhooksRequest {
  'pageSize'?: (number);
  'pageToken'?: (string);
}

export interface ListWebhooksRequest__Output {
  'pageSize': (number);
  'pageToken': (string);
}
