// Original file: edgeplane/health/v1/health.proto


export interface SetConfigRequest {
  'cluster'?: (string);
  'multiRegion'?: (boolean);
  'noEviction'?: (boolean);
  'graceSeconds'?: (number);
  'voteTtlSeconds'?: (number);
  'actor'?: (string);
  '_multiRegion'?: "multiRegion";
  '_noEviction'?: "noEviction";
  '_graceSeconds'?: "graceSeconds";
  '_voteTtlSeconds'?: "voteTtlSeconds";
}

export interface SetConfigRequest__Output {
  'cluster': (string);
  'multiRegion'?: (boolean);
  'noEviction'?: (boolean);
  'graceSeconds'?: (number);
  'voteTtlSeconds'?: (number);
  'actor': (string);
  '_multiRegion'?: "multiRegion";
  '_noEviction'?: "noEviction";
  '_graceSeconds'?: "graceSeconds";
  '_voteTtlSeconds'?: "voteTtlSeconds";
}
