import type { InlineProjection } from '@edgeplane/eventstore';
import { groupsProjection } from './groups.projection.js';
import { nodeMembershipProjection } from './node-membership.projection.js';
import { unitsProjection } from './units.projection.js';

/** Inline projections of the nodepool service, applied in every append's transaction. */
export function nodepoolProjections(schema: string): InlineProjection[] {
  return [unitsProjection(schema), groupsProjection(schema), nodeMembershipProjection(schema)];
}
