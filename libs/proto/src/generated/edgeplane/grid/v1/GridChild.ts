// Original file: edgeplane/grid/v1/grid.proto


export interface GridChild {
  'unit'?: (string);
  'name'?: (string);
  'revision'?: (string);
  'desiredPods'?: (number);
  'scheduledPods'?: (number);
  'pendingPods'?: (number);
}

export interface GridChild__Output {
  'unit': (string);
  'name': (string);
  'revision': (string);
  'desiredPods': (number);
  'scheduledPods': (number);
  'pendingPods': (number);
}
