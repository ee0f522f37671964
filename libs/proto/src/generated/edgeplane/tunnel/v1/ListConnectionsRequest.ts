// Original file: edgeplane/tunnel/v1/tunnel.proto


export interface ListConnectionsRequest {
  'cluster'?: (string);
}

export interface ListConnectionsRequest__Output {
  'cluster': (string);
}
