import type { InlineProjection } from '@edgeplane/eventstore';
import { gridsProjection } from './grids.projection.js';
import { nodePodsProjection } from './node-pods.projection.js';

/** Inline projections of the grid service, applied in every append's transaction. */
export function gridProjections(schema: string): InlineProjection[] {
  return [gridsProjection(schema), nodePodsProjection(schema)];
}
