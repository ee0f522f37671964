import { z } from 'zod';

/**
 * One catalogue entry: an event type at one schema version, the JetStream subject it is published
 * on and the zod schema of its `data`. Types are derived from the schema; decoding validates.
 */
export interface EventDefinition<Type extends string = string, Schema extends z.ZodType = z.ZodType> {
  readonly type: Type;
  readonly version: number;
  /** Subject pattern; `{streamId}`-free: the relay appends nothing, so the subject is per type. */
  readonly subject: string;
  readonly schema: Schema;
  /** Service that emits it (the only writer of the owning stream). */
  readonly emitter: string;
  /**
   * Set on a superseded version only: turns its (validated) data into the data of version + 1 of
   * the same type. Readers of stored and published events see the newest version (catalogue's
   * `upcastEvent`); writers append only the newest.
   */
  readonly upcast?: (data: z.infer<Schema>) => unknown;
}

export type EventData<D extends EventDefinition> = z.infer<D['schema']>;

export function defineEvent<const Type extends string, Schema extends z.ZodType>(
  def: EventDefinition<Type, Schema>,
): EventDefinition<Type, Schema> {
  if (!/^[A-Z][A-Za-z0-9]+$/.test(def.type)) throw new Error(`event type must be PascalCase: ${def.type}`);
  if (!/^edgeplane(\.[a-z0-9-]+)+$/.test(def.subject))
    throw new Error(`bad subject for ${def.type}: ${def.subject}`);
  return Object.freeze(def);
}

/**
 * The data + type pair a decider produces for a catalogue event; given a union of events, the
 * union of their pairs (discriminated by `type`), so `EventOf<(typeof EVENTS)[number]>` types
 * an aggregate's events from the one list of them.
 */
export type EventOf<D extends EventDefinition> = D extends EventDefinition
  ? { type: D['type']; data: EventData<D> }
  : never;

/** Metadata every stored and published event carries. */
export const EventMetadataSchema = z.object({
  correlationId: z.string().optional(),
  causationId: z.string().optional(),
  actor: z.string().optional(),
  traceparent: z.string().optional(),
  tracestate: z.string().optional(),
});
export type EventMetadata = z.infer<typeof EventMetadataSchema>;

/** Wire envelope: what the outbox relay publishes and consumers decode. */
export const EnvelopeSchema = z.object({
  id: z.string().uuid(),
  type: z.string(),
  version: z.number().int().positive(),
  streamId: z.string(),
  streamPosition: z.number().int().nonnegative(),
  globalPosition: z.number().int().nonnegative(),
  occurredAt: z.string(),
  data: z.unknown(),
  metadata: EventMetadataSchema,
});
export type Envelope<Data = unknown> = Omit<z.infer<typeof EnvelopeSchema>, 'data'> & { data: Data };

/**
 * The envelope of one catalogue event — or, given several, the union of theirs, discriminated by
 * `type`, so a `switch (envelope.type)` narrows `data` without a cast.
 */
export type EnvelopeOf<D extends EventDefinition | readonly EventDefinition[]> = WithEventData<Envelope, D>;

/** `Base` (an envelope, a stored event) narrowed to catalogue events, one member per event. */
export type WithEventData<
  Base,
  D extends EventDefinition | readonly EventDefinition[],
> = D extends readonly EventDefinition[]
  ? WithEventData<Base, D[number]>
  : D extends EventDefinition
    ? Omit<Base, 'type' | 'data'> & { type: D['type']; data: EventData<D> }
    : never;

/** Type guard: the envelope is one of these catalogue events (type and schema version). */
export function isEvent<const Ds extends readonly EventDefinition[]>(
  envelope: Envelope,
  ...defs: Ds
): envelope is Envelope & EnvelopeOf<Ds[number]> {
  return defs.some((d) => d.type === envelope.type && d.version === envelope.version);
}
