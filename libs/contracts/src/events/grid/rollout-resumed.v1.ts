import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { GridInstant, JsonObjectSchema } from './shared.js';

/**
 * RolloutResumed — the operator resumed a paused or halted rollout (`grid rollout resume`); the
 * next wave may start. Emitter: grid service, Grid aggregate. Invariant: it was paused or halted.
 */
export const RolloutResumed = defineEvent({
  type: 'RolloutResumed',
  version: 1,
  subject: 'edgeplane.grid.rollout.resumed',
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
export type RolloutResumedData = z.infer<typeof RolloutResumed.schema>;
