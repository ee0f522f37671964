// Original file: edgeplane/nodepool/v1/nodepool.proto


export interface SelectorRequirement {
  'key'?: (string);
  'operator'?: (string);
  'values'?: (string)[];
}

export interface SelectorRequirement__Output {
  'key': (string);
  'operator': (string);
  'values': (string)[];
}
