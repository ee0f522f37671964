// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface ApplyRequest {
  'clusterId'?: (string);
  'yaml'?: (string);
  'dryRun'?: (boolean);
}

export interface ApplyRequest__Output {
  'clusterId': (string);
  'yaml': (string);
  'dryRun': (boolean);
}
