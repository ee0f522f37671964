import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { GridInstant, JsonObjectSchema } from './shared.js';

/**
 * RolloutUndone — the operator rolled the grid back (`grid rollout undo`): every unit the rollout
 * had moved goes back to the revision (grid generation) `restoredGeneration` at once (one wave `undo`,
 * through the same health gate); `generation` stays the latest applied one. Emitter: grid service, Grid aggregate.
 * Invariant: the rollout had a previous revision and its manifest is still kept.
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
