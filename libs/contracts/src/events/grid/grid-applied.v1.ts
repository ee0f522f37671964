import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { GridInstant, GridKindSchema, JsonObjectSchema } from './shared.js';

/**
 * GridApplied — a DeploymentGrid, StatefulSetGrid or ServiceGrid was created or its manifest
 * changed (SPEC F-GR-1…3, `edgeplane apply -f`). Emitter: grid service, Grid aggregate (stream
 * `grid:<clusterId>:<name>`). Consumers: none yet (the grid's own projections and reconciler).
 * Invariants: `manifest` is the full validated superedge.io/v1 object (not a patch); emitted only
 * when it differs from the grid's current manifest; `generation` starts at 1 and grows by one per
 * change; a grid's kind never changes (apply of another kind under the same name is refused).
 */
export const GridApplied = defineEvent({
  type: 'GridApplied',
  version: 1,
  subject: 'edgeplane.grid.grid.applied',
  emitter: 'grid',
  schema: z.object({
    clusterId: z.string().min(1),
    name: z.string().min(1),
    kind: GridKindSchema,
    gridUniqKey: z.string().min(1),
    generation: z.number().int().positive(),
    manifest: JsonObjectSchema,
    at: GridInstant,
  }),
});
export type GridAppliedData = z.infer<typeof GridApplied.schema>;
