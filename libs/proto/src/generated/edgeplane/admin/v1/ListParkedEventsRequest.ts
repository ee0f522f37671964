// Original file: edgeplane/admin/v1/admin.proto


export interface ListParkedEventsRequest {
  'pageSize'?: (number);
}

export interface ListParkedEventsRequest__Output {
  'pageSize': (number);
}
