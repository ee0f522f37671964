import { z } from 'zod';
import { defineEvent, type EventDefinition } from '../../define-event.js';

/**
 * ProbeRecorded — a neutral event used by the backbone's own tests and benchmarks (eventstore,
 * relay, consumers). Emitter: test fixtures only. Invariant: `seq` increases within a stream.
 */
export const ProbeRecorded = defineEvent({
  type: 'ProbeRecorded',
  version: 1,
  subject: 'edgeplane.test.probe.recorded',
  emitter: 'tests',
  schema: z.object({
    seq: z.number().int().nonnegative(),
    note: z.string().optional(),
    poison: z.boolean().optional(),
  }),
});

export const testEvents: EventDefinition[] = [ProbeRecorded];
