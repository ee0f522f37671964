import { z } from 'zod';
import type { EventDefinition } from './define-event.js';
import { EnvelopeSchema, type Envelope } from './define-event.js';
import { clusterEvents } from './events/cluster/index.js';
import { nodepoolEvents } from './events/nodepool/index.js';
import { healthEvents } from './events/health/index.js';
import { gridEvents } from './events/grid/index.js';
import { tunnelEvents } from './events/tunnel/index.js';

/** Every event of every service, keyed `<Type>@v<version>`. */
const all: EventDefinition[] = [
  ...clusterEvents,
  ...nodepoolEvents,
  ...healthEvents,
  ...gridEvents,
  ...tunnelEvents,
];
const byKey = new Map<string, EventDefinition>();
for (const def of all) {
  const key = `${def.type}@v${def.version}`;
  if (byKey.has(key)) throw new Error(`duplicate catalogue entry ${key}`);
  byKey.set(key, def);
}

export const catalogue = {
  all(): readonly EventDefinition[] {
    return all;
  },
  find(type: string, version = 1): EventDefinition | undefined {
    return byKey.get(`${type}@v${version}`);
  },
  get(type: string, version = 1): EventDefinition {
    const def = byKey.get(`${type}@v${version}`);
    if (!def) throw new UnknownEventError(type, version);
    return def;
  },
  /** The newest version of a type (what writers append when they name no version). */
  latestVersion(type: string): number {
    let version = 1;
    while (byKey.has(`${type}@v${version + 1}`)) version++;
    return version;
  },
};

/**
 * An event of a superseded version brought to the newest one of its type, each step by the older
 * definition's `upcast` and checked against the next schema; the newest version passes unchanged.
 * Stored events (the event store's reads, the relay) and decoded messages go through it, so a
 * rebuild from position 0 and a consumer of an old message see one shape.
 */
export function upcastEvent(
  type: string,
  version: number,
  data: unknown,
): { version: number; data: unknown } {
  let def = catalogue.find(type, version);
  while (def?.upcast) {
    const next = catalogue.get(type, version + 1);
    data = validateEventData(type, version + 1, def.upcast(data));
    version = next.version;
    def = next;
  }
  return { version, data };
}

/**
 * Test seam: the backbone's own tests and benchmarks register a neutral probe event (see
 * libs/testing) instead of shipping one in the product catalogue. Product code never calls this.
 */
export function extendCatalogue(...defs: EventDefinition[]): void {
  for (const def of defs) {
    const key = `${def.type}@v${def.version}`;
    const known = byKey.get(key);
    if (known === def) continue;
    if (known) throw new Error(`duplicate catalogue entry ${key}`);
    byKey.set(key, def);
    all.push(def);
  }
}

export class UnknownEventError extends Error {
  constructor(
    readonly type: string,
    readonly version: number,
  ) {
    super(`event ${type}@v${version} is not in the catalogue`);
  }
}

export class InvalidEventError extends Error {
  constructor(
    readonly type: string,
    readonly issues: z.core.$ZodIssue[],
  ) {
    super(
      `event ${type} failed validation: ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
}

/** Validates an event's data against its catalogue schema (on append and on decode). */
export function validateEventData(type: string, version: number, data: unknown): unknown {
  const def = catalogue.get(type, version);
  const parsed = def.schema.safeParse(data);
  if (!parsed.success) throw new InvalidEventError(type, parsed.error.issues);
  return parsed.data;
}

/** Decodes a published message body: envelope shape, then the data by its catalogue schema. */
export function decodeEnvelope(body: Uint8Array | string): Envelope {
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  const envelope = EnvelopeSchema.parse(JSON.parse(text));
  const data = validateEventData(envelope.type, envelope.version, envelope.data);
  return { ...envelope, ...upcastEvent(envelope.type, envelope.version, data) };
}
