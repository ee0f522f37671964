import { z } from 'zod';
import { defineEvent, extendCatalogue, registerStream } from '@edgeplane/contracts';

/**
 * ProbeRecorded — a neutral event for the backbone's own tests and benchmarks (event store, relay,
 * consumers). Not in the product catalogue: importing this module registers it and its stream.
 * Emitter: test fixtures only. Invariant: `seq` increases within a stream.
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

export const TEST_STREAM = {
  name: 'EDGEPLANE_TEST',
  subjects: ['edgeplane.test.>'],
  maxAgeSeconds: 3600,
  duplicateWindowSeconds: 120,
  description: 'events of the backbone tests and benchmarks',
};

registerStream(TEST_STREAM);
extendCatalogue(ProbeRecorded);
