// Original file: edgeplane/grid/v1/grid.proto


export interface RenderGridRequest {
  'cluster'?: (string);
  'name'?: (string);
  'unit'?: (string);
}

export interface RenderGridRequest__Output {
  'cluster': (string);
  'name': (string);
  'unit': (string);
}
