// Original file: edgeplane/grid/v1/grid.proto


export interface RenderedObject {
  'unit'?: (string);
  'apiVersion'?: (string);
  'kind'?: (string);
  'name'?: (string);
  'yaml'?: (string);
}

export interface RenderedObject__Output {
  'unit': (string);
  'apiVersion': (string);
  'kind': (string);
  'name': (string);
  'yaml': (string);
}
