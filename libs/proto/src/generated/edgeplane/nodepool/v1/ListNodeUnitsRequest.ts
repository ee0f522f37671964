// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface ListNodeUnitsRequest {
  'clusterId'?: (string);
  'pageToken'?: (string);
  'pageSize'?: (number);
}

export interface ListNodeUnitsRequest__Output {
  'clusterId': (string);
  'pageToken': (string);
  'pageSize': (number);
}
