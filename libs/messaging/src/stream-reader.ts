import { randomBytes } from 'node:crypto';
import { busSubject, streamName } from '@edgeplane/contracts';
import { DeliverPolicy, type ConsumerMessages, type OrderedConsumerOptions } from '@nats-io/jetstream';
import type { Bus } from './connection.js';

/** One stored message of a stream, as read by `readStream`. */
export interface StreamRecord {
  seq: number;
  subject: string;
  data: Uint8Array;
  /** when the stream stored it (ms since the epoch) */
  storedAt: number;
}

/** Where a read starts: after a sequence, or at the first message stored at or after a time. */
export type StreamStart = { after: number } | { since: string };

/** A position the stream no longer holds (aged out or purged): never a silent gap. */
export class StreamPositionGoneError extends Error {
  constructor(
    readonly stream: string,
    readonly after: number,
    readonly first: number,
  ) {
    super(`position ${after} of ${stream} is no longer kept (the stream starts at ${first})`);
  }
}

/** The first and last sequence of a declared stream (first > last when it is empty). */
export async function streamBounds(bus: Bus, logical: string): Promise<{ first: number; last: number }> {
  const info = await bus.jsm.streams.info(streamName(logical));
  return { first: info.state.first_seq, last: info.state.last_seq };
}

export interface ReadStreamOptions {
  /**
   * Stop after this sequence (inclusive), or at the end of the stream as it is when the read
   * reaches it, whichever comes first: a bounded range read. Absent: follow new messages until
   * `signal` aborts.
   */
  until?: number;
  /** bytes pulled ahead of the reader (default 1 MiB; at least the largest message) */
  maxBytes?: number;
  /** names the consumer on the server (`<purpose>-<random>_<serial>`) */
  purpose?: string;
}

/**
 * The messages of one declared stream (logical name, EDGEPLANE_ENV applied here) whose subject
 * matches `filterSubject`, in sequence order: an ordered consumer (ephemeral, nothing acked,
 * deleted at the end). A start before the stream's first kept message is a
 * StreamPositionGoneError. With `until`, the read ends at that sequence or at the stream's end
 * (what the consumer reported pending when created, then each message's pending count), so a
 * range read never waits for messages still to come. Pulls are queued behind the messages
 * already pulled, so a reader that stops asking stops the pulling.
 */
export async function* readStream(
  bus: Bus,
  logical: string,
  filterSubject: string,
  start: StreamStart,
  opts: ReadStreamOptions = {},
  signal?: AbortSignal,
): AsyncGenerator<StreamRecord> {
  const options: Partial<OrderedConsumerOptions> = {
    name_prefix: `${opts.purpose ?? 'read'}-${randomBytes(6).toString('hex')}`,
    // a string: the client sets filter_subject, which NATS 2.9 knows
    filter_subjects: busSubject(filterSubject),
  };
  if ('after' in start) {
    const { first, last } = await streamBounds(bus, logical);
    if (start.after + 1 < first) throw new StreamPositionGoneError(logical, start.after, first);
    if (opts.until !== undefined && (start.after >= opts.until || start.after >= last)) return;
    Object.assign(options, { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: start.after + 1 });
  } else {
    Object.assign(options, { deliver_policy: DeliverPolicy.StartTime, opt_start_time: start.since });
  }
  if (signal?.aborted) return;
  const consumer = await bus.js.consumers.get(streamName(logical), options);
  let messages: ConsumerMessages | undefined;
  const stop = () => void messages?.close();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    // the consumer was made on the server by `get`: its pending count is what the range holds
    if (opts.until !== undefined && (await consumer.info(true)).num_pending === 0) return;
    messages = await consumer.consume({ max_bytes: opts.maxBytes ?? 1024 * 1024 });
    if (signal?.aborted) return;
    for await (const m of messages) {
      if (opts.until !== undefined && m.seq > opts.until) return;
      yield {
        seq: m.seq,
        subject: m.subject,
        data: m.data,
        storedAt: m.time.getTime(),
      };
      if (signal?.aborted) return;
      if (opts.until !== undefined && (m.seq >= opts.until || m.info.pending === 0)) return;
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    // not awaited: closing messages never iterated does not settle (the client waits for a pull)
    void messages?.close().catch(() => undefined);
    await consumer.delete().catch(() => undefined);
  }
}
