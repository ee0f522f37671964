import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { GridInstant, GridKindSchema } from './shared.js';

/**
 * GridDeleted — a grid is gone with every child and pod (its GridChildrenChanged to no children
 * and the nodes' NodePodsAssigned follow from the reconciler). Emitter: grid service, Grid
 * aggregate. Invariant: once per live grid; the name is free for a new grid afterwards.
 */
export const GridDeleted = defineEvent({
  type: 'GridDeleted',
  version: 1,
  subject: 'edgeplane.grid.grid.deleted',
  emitter: 'grid',
  schema: z.object({
    clusterId: z.string().min(1),
    name: z.string().min(1),
    kind: GridKindSchema,
    at: GridInstant,
  }),
});
export type GridDeletedData = z.infer<typeof GridDeleted.schema>;
