import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { GridInstant, JsonObjectSchema } from './shared.js';

/**
 * RolloutUndone — the operator rolled the grid back (`grid rollout undo`): the manifest of
 * generation `restoredGeneration` is applied again as `generation` (a GridApplied with it is
 * appended in the same transaction) and rolled out to every unit at once. Emitter: grid service,
 * Grid aggregate. Invariant: there was an earlier generation with a different manifest.
 */
export const RolloutUndone = defineEvent({
  type: 'RolloutUndone',
  version: 1,
  subject: 'edgeplane.grid.rollout.undone',
  emitter: 'grid',
  schema: z.object({
    clusterId: z.string().min(1),
    name: z.string().min(1),
    generation: z.number().int().positive(),
    restoredGeneration: z.number().int().positive(),
    /** the rollout's full state after the change (services/grid domain RolloutState) */
    rollout: JsonObjectSchema,
    at: GridInstant,
  }),
});
export type RolloutUndoneData = z.infer<typeof RolloutUndone.schema>;
