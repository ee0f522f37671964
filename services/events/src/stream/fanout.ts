import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Envelope } from '@edgeplane/contracts';
import type { Bus } from '@edgeplane/messaging';
import type { Logger } from '@edgeplane/observability';
import { BUS, CONFIG, LOGGER } from '@edgeplane/service-kit';
import type { EventsConfig } from '../config.js';
import {
  PositionGoneError,
  readSource,
  sourceBounds,
  type ReadStart,
  type SourceMessage,
} from './source-reader.js';

export interface FanoutStats {
  readers: number;
  attached: number;
  overflowed: number;
  queuedBytes: number;
  queued: number;
  largestQueueBytes: number;
}

/** What one reader of a source wants: from where, which events, how much may wait for it. */
export interface FanoutRead {
  source: string;
  /** the JetStream filter subject (sources.ts `sourcePlan`): one shared reader per source and subject */
  filterSubject: string;
  start: ReadStart;
  /** events queued for this reader, in bytes, before it is cut loose (and what its own consumer pulls ahead) */
  bytes: number;
  /** which events it wants (the others are passed over, never queued) */
  match: (envelope: Envelope) => boolean;
  signal: AbortSignal;
  /** names its catch-up consumers on the server (`events-sub…`, `events-hook…`) */
  purpose: string;
}

/**
 * One reader's place on a shared reader: the messages queued for it (in sequence order) and the
 * position up to which every message of the filter subject was handled (queued or not wanted).
 */
class Lane {
  after: number;
  /** whether it has been cut loose from the shared reader at least once (its queue was full) */
  overflowed = false;
  attached = false;
  private queue: (SourceMessage | undefined)[] = [];
  private head = 0;
  private queuedBytes = 0;
  private waiter: (() => void) | undefined;

  constructor(
    readonly purpose: string,
    readonly bound: number,
    readonly match: (envelope: Envelope) => boolean,
    after: number,
  ) {
    this.after = after;
  }

  get size(): number {
    return this.queue.length - this.head;
  }

  get bytes(): number {
    return this.queuedBytes;
  }

  /** Whether `m` fits under the bound (one message always does: the bound is at least the largest). */
  fits(m: SourceMessage): boolean {
    return this.size === 0 || this.queuedBytes + m.bytes <= this.bound;
  }

  push(m: SourceMessage): void {
    this.queue.push(m);
    this.queuedBytes += m.bytes;
    this.notify();
  }

  take(): SourceMessage | undefined {
    if (this.head >= this.queue.length) return undefined;
    const m = this.queue[this.head]!;
    this.queue[this.head++] = undefined;
    this.queuedBytes -= m.bytes;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return m;
  }

  notify(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  /**
   * Resolves when something is queued or the lane is cut loose (or its reader stops: `read`
   * notifies on abort). One listener per lane, not one per wait: this runs per message.
   */
  wait(): Promise<void> {
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }
}

/**
 * The one ordered consumer of a source (and filter subject) in this process, dispatching each
 * message synchronously to every attached lane whose filter wants it. It never waits for a lane:
 * a lane whose queue is full is detached (it catches up on a consumer of its own, then attaches
 * again), so one slow reader neither slows the others nor grows without bound.
 */
class SharedReader {
  /** the last sequence dispatched (every attached lane has been offered everything up to it) */
  seq = 0;
  started = false;
  readonly ready: Promise<void>;
  private readonly lanes = new Set<Lane>();
  private readonly stop = new AbortController();
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly bus: Bus,
    readonly source: string,
    readonly filterSubject: string,
    private readonly readAhead: number,
    private readonly logger: Logger,
  ) {
    this.ready = sourceBounds(bus, source).then(({ last }) => {
      this.seq = last;
      this.started = true;
      this.loop = this.run();
    });
  }

  get attachedCount(): number {
    return this.lanes.size;
  }

  /** Attaches a lane that has handled everything up to the reader's position (or beyond it). */
  attach(lane: Lane): boolean {
    if (!this.started || this.stop.signal.aborted || lane.after < this.seq) return false;
    lane.attached = true;
    this.lanes.add(lane);
    return true;
  }

  detach(lane: Lane): void {
    this.lanes.delete(lane);
    lane.attached = false;
    lane.notify();
  }

  private dispatch(m: SourceMessage): void {
    for (const lane of this.lanes) {
      if (m.seq <= lane.after) continue; // attached ahead of the reader: had it already
      if (m.envelope && lane.match(m.envelope)) {
        if (!lane.fits(m)) {
          // full: cut loose; it reads on from `after` with a consumer of its own once drained
          lane.overflowed = true;
          this.detach(lane);
          continue;
        }
        lane.push(m);
      }
      lane.after = m.seq;
    }
    this.seq = m.seq;
  }

  private async run(): Promise<void> {
    while (!this.stop.signal.aborted) {
      try {
        for await (const m of readSource(
          this.bus,
          this.source,
          this.filterSubject,
          { after: this.seq },
          { messages: this.readAhead },
          this.stop.signal,
          'events-fanout',
        ))
          this.dispatch(m);
      } catch (error) {
        if (this.stop.signal.aborted) return;
        if (error instanceof PositionGoneError) {
          // the stream dropped what the reader had not read: every lane finds out on its own
          // consumer (a cursor it cannot serve is OUT_OF_RANGE there, never a silent gap)
          for (const lane of [...this.lanes]) this.detach(lane);
          this.seq = error.first - 1;
          continue;
        }
        this.logger.warn(
          { source: this.source, subject: this.filterSubject, err: (error as Error).message },
          'events: shared reader failed; restarting from its position',
        );
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  async close(): Promise<void> {
    this.stop.abort();
    for (const lane of [...this.lanes]) this.detach(lane);
    await this.ready.catch(() => undefined);
    await this.loop.catch(() => undefined);
  }
}

/**
 * Every reader of the public sources in this process (Subscribe calls, webhook deliveries) reads
 * through here: one shared ordered consumer per source and filter subject fans each message out
 * in memory to the readers that want it, each with a queue bounded in bytes. A reader behind the
 * shared one (an old cursor, a time, a queue that overflowed) reads on a consumer of its own
 * (`readSource`, its pull bounded the same way) until it reaches the shared reader, then attaches.
 * What a reader sees is the same either way: the source's messages after its start, in sequence
 * order, each once.
 */
@Injectable()
export class Fanout implements OnApplicationShutdown {
  private readonly readers = new Map<string, SharedReader>();
  private readonly lanes = new Set<Lane>();

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(CONFIG) private readonly config: EventsConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  private readerOf(source: string, filterSubject: string): SharedReader {
    const key = `${source}\u0000${filterSubject}`;
    let reader = this.readers.get(key);
    if (!reader) {
      reader = new SharedReader(
        this.bus,
        source,
        filterSubject,
        1000, // messages pulled ahead by the one shared reader (see ReadLimits)
        this.logger,
      );
      this.readers.set(key, reader);
      reader.ready.catch(() => {
        if (this.readers.get(key) === reader) this.readers.delete(key); // made again by the next reader
      });
    }
    return reader;
  }

  /**
   * The readers of one purpose now: how many, how many are attached to a shared consumer, how
   * many were ever cut loose, and what waits in their queues (for tests and the bench).
   */
  stats(purpose: string): FanoutStats {
    const s = { readers: 0, attached: 0, overflowed: 0, queuedBytes: 0, queued: 0, largestQueueBytes: 0 };
    for (const lane of this.lanes)
      if (lane.purpose === purpose) {
        s.readers++;
        if (lane.attached) s.attached++;
        if (lane.overflowed) s.overflowed++;
        s.queuedBytes += lane.bytes;
        s.queued += lane.size;
        s.largestQueueBytes = Math.max(s.largestQueueBytes, lane.bytes);
      }
    return s;
  }

  /** The wanted messages of a source after `start`, in sequence order, until `signal` aborts. */
  async *read(r: FanoutRead): AsyncGenerator<SourceMessage> {
    const reader = this.readerOf(r.source, r.filterSubject);
    let since = 'since' in r.start ? r.start.since : undefined;
    const lane = new Lane(r.purpose, r.bytes, r.match, 'after' in r.start ? r.start.after : 0);
    this.lanes.add(lane);
    const onAbort = () => lane.notify();
    r.signal.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        if (r.signal.aborted) return;
        const m = lane.take();
        if (m) {
          yield m;
          continue;
        }
        if (lane.attached) {
          await lane.wait();
          continue;
        }
        if (since === undefined) {
          await reader.ready;
          if (reader.attach(lane)) continue;
        }
        yield* this.catchUp(lane, reader, r, since);
        since = undefined;
      }
    } finally {
      r.signal.removeEventListener('abort', onAbort);
      reader.detach(lane);
      this.lanes.delete(lane);
    }
  }

  /** Reads on a consumer of the lane's own from its position (or `since`) until it can attach. */
  private async *catchUp(
    lane: Lane,
    reader: SharedReader,
    r: FanoutRead,
    since: string | undefined,
  ): AsyncGenerator<SourceMessage> {
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    r.signal.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const m of readSource(
        this.bus,
        r.source,
        r.filterSubject,
        since !== undefined ? { since } : { after: lane.after },
        { bytes: r.bytes },
        stop.signal,
        r.purpose,
      )) {
        if (m.envelope && r.match(m.envelope)) yield m;
        lane.after = m.seq;
        if (reader.attach(lane)) return;
      }
    } finally {
      r.signal.removeEventListener('abort', onAbort);
      stop.abort();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const readers = [...this.readers.values()];
    this.readers.clear();
    await Promise.all(readers.map((r) => r.close()));
  }
}
