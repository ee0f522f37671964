// Original file: edgeplane/tunnel/v1/tunnel.proto


export interface TcpSocketAction {
  'port'?: (number);
}

export interface TcpSocketAction__Output {
  'port': (number);
}
