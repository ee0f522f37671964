// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface AppliedChange {
  'kind'?: (string);
  'name'?: (string);
  'action'?: (string);
  'changes'?: (string)[];
}

export interface AppliedChange__Output {
  'kind': (string);
  'name': (string);
  'action': (string);
  'changes': (string)[];
}
