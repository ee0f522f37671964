// Original file: edgeplane/health/v1/health.proto


export interface ExplainNodeRequest {
  'clusterId'?: (string);
  'node'?: (string);
}

export interface ExplainNodeRequest__Output {
  'clusterId': (string);
  'node': (string);
}
