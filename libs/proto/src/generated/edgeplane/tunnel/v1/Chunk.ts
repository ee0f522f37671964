// Original file: edgeplane/tunnel/v1/tunnel.proto


export interface Chunk {
  'data'?: (Buffer | Uint8Array | string);
  'fin'?: (boolean);
}

export interface Chunk__Output {
  'data': (Buffer);
  'fin': (boolean);
}
