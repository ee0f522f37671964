import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { GridInstant, JsonObjectSchema } from './shared.js';

/**
 * RolloutWaveStarted — a staged rollout of generation `generation` moved the units of wave `wave`
 * (0-based, of `waves`) to the new revision. Emitter: grid service, Grid aggregate, from the
 * reconciler. Invariants: the previous wave completed (its pods ready for the soak time) or this
 * is wave 0; at most the rollout's maxUnavailable units per wave; never while paused.
 */
export const RolloutWaveStarted = defineEvent({
  type: 'RolloutWaveStarted',
  version: 1,
  subject: 'edgeplane.grid.rollout.wave-started',
  emitter: 'grid',
  schema: z.object({
    clusterId: z.string().min(1),
    name: z.string().min(1),
    generation: z.number().int().positive(),
    wave: z.number().int().nonnegative(),
    waves: z.number().int().positive(),
    units: z.array(z.string()),
    /** the rollout's full state after the change (services/grid domain RolloutState) */
    rollout: JsonObjectSchema,
    at: GridInstant,
  }),
});
export type RolloutWaveStartedData = z.infer<typeof RolloutWaveStarted.schema>;
