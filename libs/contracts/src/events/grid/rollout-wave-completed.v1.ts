import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { GridInstant, JsonObjectSchema } from './shared.js';

/**
 * RolloutWaveCompleted — every pod of the wave's units runs the new revision and passed the health
 * gate (ready, and still ready after the soak time). Emitter: grid service, Grid aggregate.
 * Invariants: follows the RolloutWaveStarted of the same wave; the last wave completing ends the
 * rollout (`done` true).
 */
export const RolloutWaveCompleted = defineEvent({
  type: 'RolloutWaveCompleted',
  version: 1,
  subject: 'edgeplane.grid.rollout.wave-completed',
  emitter: 'grid',
  schema: z.object({
    clusterId: z.string().min(1),
    name: z.string().min(1),
    generation: z.number().int().positive(),
    wave: z.number().int().nonnegative(),
    waves: z.number().int().positive(),
    units: z.array(z.string()),
    done: z.boolean(),
    /** the rollout's full state after the change (services/grid domain RolloutState) */
    rollout: JsonObjectSchema,
    at: GridInstant,
  }),
});
export type RolloutWaveCompletedData = z.infer<typeof RolloutWaveCompleted.schema>;
