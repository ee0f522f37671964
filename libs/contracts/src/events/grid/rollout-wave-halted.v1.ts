import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { GridInstant, JsonObjectSchema } from './shared.js';

/**
 * RolloutWaveHalted — the health gate stopped a rollout at wave `wave`: its pods failed readiness
 * (or are Pending) past the deadline; later waves stay on the old revision until resume or undo.
 * Emitter: grid service, Grid aggregate. Invariant: once per halt of a wave.
 */
export const RolloutWaveHalted = defineEvent({
  type: 'RolloutWaveHalted',
  version: 1,
  subject: 'edgeplane.grid.rollout.wave-halted',
  emitter: 'grid',
  schema: z.object({
    clusterId: z.string().min(1),
    name: z.string().min(1),
    generation: z.number().int().positive(),
    wave: z.number().int().nonnegative(),
    units: z.array(z.string()),
    reason: z.string(),
    /** the rollout's full state after the change (services/grid domain RolloutState) */
    rollout: JsonObjectSchema,
    at: GridInstant,
  }),
});
export type RolloutWaveHaltedData = z.infer<typeof RolloutWaveHalted.schema>;
