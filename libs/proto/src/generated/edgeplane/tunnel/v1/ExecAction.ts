// Original file: edgeplane/tunnel/v1/tunnel.proto


export interface ExecAction {
  'command'?: (string)[];
}

export interface ExecAction__Output {
  'command': (string)[];
}
