import { busSubject, logicalSubject } from './naming.js';

/**
 * JetStream streams, one per bounded context, each with its own subject space (2.9 rejects
 * overlapping streams). Declared once here, with their logical names and subjects; libs/messaging
 * provisions them under the process's EDGEPLANE_ENV (./naming.ts).
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
  TUNNEL: {
    name: 'EDGEPLANE_TUNNEL',
    subjects: ['edgeplane.tunnel.>'],
    maxAgeSeconds: 7 * 24 * 3600,
    duplicateWindowSeconds: 120,
    description: 'domain events of the tunnel service (gateway CA, node connections)',
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

/** The dead-letter subject of a consumer (its logical durable name), on the wire (EDGEPLANE_ENV applied). */
export function deadLetterSubject(consumer: string, env?: string): string {
  return busSubject(`edgeplane.dlq.${consumer}`, env);
}

/** Where a consumer of these events reads: their stream and the narrowest one filter subject. */
export interface EventSubscription {
  stream: StreamDeclaration;
  filterSubject: string;
}

/**
 * Derives stream and filter subject from catalogue entries, so no consumer types a subject by
 * hand. NATS 2.9 allows one filter per consumer: several events share the longest common subject
 * prefix (`edgeplane.cluster.>`); the consumer runner skips the other events under it.
 */
export function subscriptionOf(events: readonly { type: string; subject: string }[]): EventSubscription {
  if (events.length === 0) throw new Error('a subscription needs at least one event');
  const streams = new Set(events.map((e) => streamOfSubject(e.subject)));
  if (streams.size !== 1) {
    throw new Error(`events ${events.map((e) => e.type).join(', ')} live in different streams`);
  }
  const stream = [...streams][0]!;
  const subjects = [...new Set(events.map((e) => e.subject))];
  if (subjects.length === 1) return { stream, filterSubject: subjects[0]! };
  const split = subjects.map((s) => s.split('.'));
  const common: string[] = [];
  for (let i = 0; split.every((t) => i < t.length - 1 && t[i] === split[0]![i]); i++)
    common.push(split[0]![i]!);
  return { stream, filterSubject: `${common.join('.')}.>` };
}

const extraStreams: StreamDeclaration[] = [];

/** Every stream to provision: the product's, plus any a test harness registered. */
export function allStreams(): readonly StreamDeclaration[] {
  return [...Object.values(STREAMS), ...extraStreams];
}

/** Test seam (see `extendCatalogue`): a stream for probe events that are not part of the product. */
export function registerStream(stream: StreamDeclaration): void {
  if (!allStreams().some((s) => s.name === stream.name)) extraStreams.push(stream);
}

/** The declared stream whose subjects cover a concrete subject (declared, or on the wire). */
export function streamOfSubject(wireOrLogical: string): StreamDeclaration {
  const subject = logicalSubject(wireOrLogical);
  const found = allStreams().find((s) => s.subjects.some((pattern) => subjectMatches(pattern, subject)));
  if (!found) throw new Error(`no stream covers subject ${subject}`);
  return found;
}

function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}
