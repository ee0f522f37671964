// Original file: edgeplane/grid/v1/grid.proto


export interface ApplyGridRequest {
  'cluster'?: (string);
  'yaml'?: (string);
  'dryRun'?: (boolean);
}

export interface ApplyGridRequest__Output {
  'cluster': (string);
  'yaml': (string);
  'dryRun': (boolean);
}
