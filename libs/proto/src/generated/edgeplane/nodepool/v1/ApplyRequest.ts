// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface ApplyRequest {
  'cluster'?: (string);
  'yaml'?: (string);
  'dryRun'?: (boolean);
}

export interface ApplyRequest__Output {
  'cluster': (string);
  'yaml': (string);
  'dryRun': (boolean);
}
