import { randomBytes } from 'node:crypto';
import { busSubject, decodeEnvelope, streamName, type Envelope } from '@edgeplane/contracts';
import type { Bus } from '@edgeplane/messaging';
import { DeliverPolicy, type ConsumerMessages, type OrderedConsumerOptions } from '@nats-io/jetstream';

/** Where a read starts in one source stream. */
export type ReadStart = { after: number } | { since: string };

export interface SourceMessage {
  seq: number;
  /** undefined: not an envelope of the catalogue (never delivered, only skipped) */
  envelope?: Envelope;
  /** the stored message's size (what holding it costs) */
  bytes: number;
}

export type ReadLimits =
  | {
      /**
       * bytes pulled ahead of the reader (the client takes a message count or a byte size, not
       * both; bytes bound the memory). At least the largest message, or that one is never pulled.
       */
      bytes: number;
    }
  | {
      /**
       * messages pulled ahead: for a reader that never holds messages back (the fan-out's shared
       * one). A byte budget can end a pull on a message larger than what is left of it, and the
       * client then waits for two missed heartbeats (~30 s) before it pulls again when it had
       * nothing else buffered — seen as the shared reader stalling on ~8 KiB events.
       */
      messages: number;
    };

/**
 * Decoded envelopes by source and sequence, shared by every reader in the process: a hundred
 * subscriptions reading the same stream decode (parse + validate + upcast) each message once.
 * Bounded by entries and bytes; the oldest go first. A message is immutable, so a hit is exact.
 */
class DecodedCache {
  private readonly entries = new Map<string, { envelope: Envelope | undefined; bytes: number }>();
  private bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  get(key: string, data: Uint8Array): Envelope | undefined {
    const hit = this.entries.get(key);
    if (hit) return hit.envelope;
    let envelope: Envelope | undefined;
    try {
      envelope = decodeEnvelope(data);
    } catch {
      envelope = undefined; // not an envelope of the catalogue: skipped by every reader
    }
    this.entries.set(key, { envelope, bytes: data.length });
    this.bytes += data.length;
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.bytes -= this.entries.get(oldest.value)!.bytes;
      this.entries.delete(oldest.value);
    }
    return envelope;
  }
}
const decoded = new DecodedCache(20_000, 32 * 1024 * 1024);

/** The source's first and last sequence (first > last when empty). */
export async function sourceBounds(bus: Bus, source: string): Promise<{ first: number; last: number }> {
  const info = await bus.jsm.streams.info(streamName(source));
  return { first: info.state.first_seq, last: info.state.last_seq };
}

export class PositionGoneError extends Error {
  constructor(
    readonly source: string,
    readonly after: number,
    readonly first: number,
  ) {
    super(`position ${after} of ${source} is no longer kept (the stream starts at ${first})`);
  }
}

/**
 * The messages of one source stream from `start`, in sequence order, until `signal` aborts:
 * an ordered consumer (ephemeral, nothing acked, deleted at the end). Pulls are queued behind
 * the messages already pulled, so a reader that does not come back for the next message stops
 * the pulling: at most `limits` are held ahead of it. A position the stream no longer holds is a
 * PositionGoneError (never a silent gap).
 */
export async function* readSource(
  bus: Bus,
  source: string,
  filterSubject: string,
  start: ReadStart,
  limits: ReadLimits,
  signal: AbortSignal,
  purpose = 'events',
): AsyncGenerator<SourceMessage> {
  const options: Partial<OrderedConsumerOptions> = {
    // names the consumer's purpose on the server (`events-sub_…`, `events-hook_…`, `events-index_…`)
    // unique: the client names the consumer `<prefix>_<serial>` (a shared prefix would collide)
    name_prefix: `${purpose}-${randomBytes(6).toString('hex')}`,
    // a string: the client sets filter_subject, which NATS 2.9 knows
    filter_subjects: busSubject(filterSubject),
  };
  if ('after' in start) {
    const { first } = await sourceBounds(bus, source);
    if (start.after + 1 < first) throw new PositionGoneError(source, start.after, first);
    Object.assign(options, { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: start.after + 1 });
  } else {
    Object.assign(options, { deliver_policy: DeliverPolicy.StartTime, opt_start_time: start.since });
  }
  const consumer = await bus.js.consumers.get(streamName(source), options);
  let messages: ConsumerMessages | undefined;
  const stop = () => void messages?.close();
  signal.addEventListener('abort', stop, { once: true });
  try {
    if (signal.aborted) return;
    messages = await consumer.consume(
      'bytes' in limits
        ? // a pull ended by its byte budget may leave the client waiting for two missed
          // heartbeats before it pulls again: heartbeats every second keep that wait short
          { max_bytes: limits.bytes, expires: 5000, idle_heartbeat: 1000 }
        : { max_messages: limits.messages },
    );
    if (signal.aborted) return;
    for await (const m of messages) {
      // the stored time too: a stream deleted and made again reuses its sequences
      const key = `${streamName(source)}:${m.seq}:${m.timestampNanos}`;
      yield { seq: m.seq, envelope: decoded.get(key, m.data), bytes: m.data.length };
      if (signal.aborted) return;
    }
  } finally {
    signal.removeEventListener('abort', stop);
    await messages?.close();
    await consumer.delete().catch(() => undefined);
  }
}
