// Original file: edgeplane/events/v1/events.proto


export interface RedeliverRequest {
  'deliveryId'?: (string);
}

export interface RedeliverRequest__Output {
  'deliveryId': (string);
}
