/**
 * JetStream streams, one per bounded context, each with its own subject space (2.9 rejects
 * overlapping streams). Declared once here; libs/messaging provisions them.
 */
export interface StreamDeclaration {
  name: string;
  subjects: string[];
  /** max age in seconds; 0 = keep forever (domain events are also in PostgreSQL). */
  maxAgeSeconds: number;
  /** dedupe window for Msg-Id, seconds. */
  duplicateWindowSeconds: number;
  description: string;
}

export const STREAMS = {
  CLUSTER: {
    name: 'EDGEPLANE_CLUSTER',
    subjects: ['edgeplane.cluster.>'],
    maxAgeSeconds: 7 * 24 * 3600,
    duplicateWindowSeconds: 120,
    description: 'domain events of the cluster service',
  },
  NODEPOOL: {
    name: 'EDGEPLANE_NODEPOOL',
    subjects: ['edgeplane.nodepool.>'],
    maxAgeSeconds: 7 * 24 * 3600,
    duplicateWindowSeconds: 120,
    description: 'domain events of the nodepool service',
  },
  HEALTH: {
    name: 'EDGEPLANE_HEALTH',
    subjects: ['edgeplane.health.>'],
    maxAgeSeconds: 7 * 24 * 3600,
    duplicateWindowSeconds: 120,
    description: 'domain events of the health-arbiter (verdicts, settings)',
  },
  GRID: {
    name: 'EDGEPLANE_GRID',
    subjects: ['edgeplane.grid.>'],
    maxAgeSeconds: 7 * 24 * 3600,
    duplicateWindowSeconds: 120,
    description: 'domain events of the grid service',
  },
  TEST: {
    name: 'EDGEPLANE_TEST',
    subjects: ['edgeplane.test.>'],
    maxAgeSeconds: 3600,
    duplicateWindowSeconds: 120,
    description: 'events of the backbone tests and benchmarks',
  },
  SIGNALS: {
    name: 'EDGEPLANE_SIGNALS',
    subjects: ['edgeplane.signal.>'],
    // Heartbeats and probe reports (libs/contracts/src/signals): not domain events. 5 min covers
    // the default grace (40 s) and vote TTL (60 s) with margin so a restarted health-arbiter can
    // replay its window. Memory storage recommended (loss on a NATS restart only costs a hold).
    maxAgeSeconds: 300,
    duplicateWindowSeconds: 30,
    description:
      'high-frequency signals: heartbeats and peer probe reports, edgeplane.signal.<clusterId>.<pNN>.<kind>',
  },
  DEAD_LETTER: {
    name: 'EDGEPLANE_DLQ',
    subjects: ['edgeplane.dlq.>'],
    maxAgeSeconds: 30 * 24 * 3600,
    duplicateWindowSeconds: 120,
    description: 'messages a consumer gave up on, with the error; subject edgeplane.dlq.<consumer>',
  },
} as const satisfies Record<string, StreamDeclaration>;

export function deadLetterSubject(consumer: string): string {
  return `edgeplane.dlq.${consumer}`;
}
