// Original file: edgeplane/events/v1/events.proto


export interface EventFilter {
  'types'?: (string)[];
  'cluster'?: (string);
  'node'?: (string);
  'unit'?: (string);
}

export interface EventFilter__Output {
  'types': (string)[];
  'cluster': (string);
  'node': (string);
  'unit': (string);
}
