import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { GridInstant, JsonObjectSchema } from './shared.js';

/**
 * RolloutProgressed — units of the rollout's current wave moved on without the wave changing
 * (Waiting → Updating → Soaking → Done as their pods turn ready and soak). Emitter: grid service,
 * Grid aggregate, from the reconciler's health gate. Invariant: `rollout` differs from the
 * previous state in more than its time stamp.
 */
export const RolloutProgressed = defineEvent({
  type: 'RolloutProgressed',
  version: 1,
  subject: 'edgeplane.grid.rollout.progressed',
  emitter: 'grid',
  schema: z.object({
    clusterId: z.string().min(1),
    name: z.string().min(1),
    generation: z.number().int().positive(),
    wave: z.number().int().nonnegative(),
    /** the rollout's full state after the change (services/grid domain RolloutState) */
    rollout: JsonObjectSchema,
    at: GridInstant,
  }),
});
export type RolloutProgressedData = z.infer<typeof RolloutProgressed.schema>;
