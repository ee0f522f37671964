// Original file: edgeplane/admin/v1/admin.proto


export interface ReplayDeadLettersRequest {
  'ids'?: (string)[];
  'durable'?: (string);
  'all'?: (boolean);
}

export interface ReplayDeadLettersRequest__Output {
  'ids': (string)[];
  'durable': (string);
  'all': (boolean);
}
