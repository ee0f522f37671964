// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface ReportKinsStatusRequest {
  'cluster'?: (string);
  'unit'?: (string);
  'generation'?: (number);
  'phase'?: (string);
  'message'?: (string);
  'apiServerEndpoint'?: (string);
  'k3sVersion'?: (string);
}

export interface ReportKinsStatusRequest__Output {
  'cluster': (string);
  'unit': (string);
  'generation': (number);
  'phase': (string);
  'message': (string);
  'apiServerEndpoint': (string);
  'k3sVersion': (string);
}
