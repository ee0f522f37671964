// Original file: edgeplane/admin/v1/admin.proto


export interface ListDeadLettersRequest {
  'durable'?: (string);
  'pageSize'?: (number);
  'pageToken'?: (string);
}

export interface ListDeadLettersRequest__Output {
  'durable': (string);
  'pageSize': (number);
  'pageToken': (string);
}
