// Original file: edgeplane/tunnel/v1/tunnel.proto


export interface ListConnectionsRequest {
  'cluster'?: (string);
  'pageSize'?: (number);
  'pageToken'?: (string);
}

export interface ListConnectionsRequest__Output {
  'cluster': (string);
  'pageSize': (number);
  'pageToken': (string);
}
