// Original file: edgeplane/events/v1/events.proto


export interface WebhookBatch {
  'maxEvents'?: (number);
  'maxWaitMs'?: (number);
}

export interface WebhookBatch__Output {
  'maxEvents': (number);
  'maxWaitMs': (number);
}
