// Original file: edgeplane/grid/v1/grid.proto

import type { RenderedObject as _edgeplane_grid_v1_RenderedObject, RenderedObject__Output as _edgeplane_grid_v1_RenderedObject__Output } from '../../../edgeplane/grid/v1/RenderedObject.js';

export interface RenderGridResponse {
  'objects'?: (_edgeplane_grid_v1_RenderedObject)[];
  'yaml'?: (string);
}

export interface RenderGridResponse__Output {
  'objects': (_edgeplane_grid_v1_RenderedObject__Output)[];
  'yaml': (string);
}
