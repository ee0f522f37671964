// Original file: edgeplane/cluster/v1/cluster.proto


export interface ListClustersRequest {
  'pageSize'?: (number);
  'pageToken'?: (string);
  'region'?: (string);
}

export interface ListClustersRequest__Output {
  'pageSize': (number);
  'pageToken': (string);
  'region': (string);
}
