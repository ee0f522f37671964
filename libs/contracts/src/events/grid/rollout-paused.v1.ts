import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { GridInstant, JsonObjectSchema } from './shared.js';

/**
 * RolloutPaused — the operator paused the grid's rollout (`grid rollout pause`): no next wave
 * starts; waves in flight finish. Emitter: grid service, Grid aggregate. Invariant: not already
 * paused.
 */
export const RolloutPaused = defineEvent({
  type: 'RolloutPaused',
  version: 1,
  subject: 'edgeplane.grid.rollout.paused',
  emitter: 'grid',
  schema: z.object({
    clusterId: z.string().min(1),
    name: z.string().min(1),
    generation: z.number().int().positive(),
    /** the rollout's full state after the change (services/grid domain RolloutState) */
    rollout: JsonObjectSchema,
    at: GridInstant,
  }),
});
export type RolloutPausedData = z.infer<typeof RolloutPaused.schema>;
