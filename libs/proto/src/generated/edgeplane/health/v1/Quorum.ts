// Original file: edgeplane/health/v1/health.proto


export interface Quorum {
  'peerSetSize'?: (number);
  'needed'?: (number);
  'fresh'?: (number);
  'healthyVotes'?: (number);
  'unhealthyVotes'?: (number);
  'abstained'?: (number);
}

export interface Quorum__Output {
  'peerSetSize': (number);
  'needed': (number);
  'fresh': (number);
  'healthyVotes': (number);
  'unhealthyVotes': (number);
  'abstained': (number);
}
