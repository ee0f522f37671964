import { z } from 'zod';

/**
 * A high-frequency signal: NOT a domain event (DESIGN principle 6). Signals are not stored in
 * PostgreSQL, have no stream position and are not replayed from the beginning of time; they live
 * on the short-retention `SIGNALS` JetStream stream and are aggregated in memory by their
 * consumer. A signal definition is still a contract: kind, version, zod schema, subject layout.
 */
export interface SignalDefinition<Kind extends string = string, Schema extends z.ZodType = z.ZodType> {
  /** Last subject token (`heartbeat`, `probe`). */
  readonly kind: Kind;
  readonly version: number;
  readonly schema: Schema;
  /** Who publishes it (the only writer). */
  readonly publisher: string;
  /** Who consumes it. */
  readonly consumer: string;
}

export type SignalData<D extends SignalDefinition> = z.infer<D['schema']>;

export function defineSignal<const Kind extends string, Schema extends z.ZodType>(
  def: SignalDefinition<Kind, Schema>,
): SignalDefinition<Kind, Schema> {
  if (!/^[a-z][a-z0-9-]*$/.test(def.kind))
    throw new Error(`signal kind must be a lower-case token: ${def.kind}`);
  return Object.freeze(def);
}

/** A cluster id as it may appear in a subject token: no dots, spaces or wildcards. */
export const SubjectTokenId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a single NATS subject token: letters, digits, "_" or "-"');
