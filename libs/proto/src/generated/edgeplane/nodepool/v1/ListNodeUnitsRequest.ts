// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface ListNodeUnitsRequest {
  'cluster'?: (string);
  'pageToken'?: (string);
  'pageSize'?: (number);
}

export interface ListNodeUnitsRequest__Output {
  'cluster': (string);
  'pageToken': (string);
  'pageSize': (number);
}
