// Original file: edgeplane/tunnel/v1/tunnel.proto


export interface Peer {
  'name'?: (string);
  'address'?: (string);
}

export interface Peer__Output {
  'name': (string);
  'address': (string);
}
