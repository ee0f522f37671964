// Original file: edgeplane/cluster/v1/cluster.proto


export interface RevokeJoinTokenRequest {
  'tokenId'?: (string);
}

export interface RevokeJoinTokenRequest__Output {
  'tokenId': (string);
}
