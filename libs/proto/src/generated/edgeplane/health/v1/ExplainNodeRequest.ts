// Original file: edgeplane/health/v1/health.proto


export interface ExplainNodeRequest {
  'cluster'?: (string);
  'node'?: (string);
}

export interface ExplainNodeRequest__Output {
  'cluster': (string);
  'node': (string);
}
