// Original file: edgeplane/events/v1/events.proto


export interface GetEventRequest {
  'id'?: (string);
}

export interface GetEventRequest__Output {
  'id': (string);
}
