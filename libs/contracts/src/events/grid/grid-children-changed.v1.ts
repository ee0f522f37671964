import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { GridChildSchema, GridInstant, GridKindSchema } from './shared.js';

/**
 * GridChildrenChanged — the per-unit children of a grid changed: a unit joined or left the group
 * named by `gridUniqKey`, or a child's rendered object changed (manifest, overrides, a rollout
 * wave). Emitter: grid service, Grid aggregate, from the grid reconciler.
 * Invariants: `children` is the FULL sorted list after the change (one per unit of the group,
 * also for units without nodes); `added`/`removed`/`updated` name units and are never all empty.
 */
export const GridChildrenChanged = defineEvent({
  type: 'GridChildrenChanged',
  version: 1,
  subject: 'edgeplane.grid.grid.children-changed',
  emitter: 'grid',
  schema: z.object({
    clusterId: z.string().min(1),
    name: z.string().min(1),
    kind: GridKindSchema,
    children: z.array(GridChildSchema),
    added: z.array(z.string()),
    removed: z.array(z.string()),
    updated: z.array(z.string()),
    at: GridInstant,
  }),
});
export type GridChildrenChangedData = z.infer<typeof GridChildrenChanged.schema>;
