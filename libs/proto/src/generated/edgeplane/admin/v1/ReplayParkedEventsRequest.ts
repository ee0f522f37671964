// Original file: edgeplane/admin/v1/admin.proto


export interface ReplayParkedEventsRequest {
  'eventIds'?: (string)[];
  'all'?: (boolean);
}

export interface ReplayParkedEventsRequest__Output {
  'eventIds': (string)[];
  'all': (boolean);
}
