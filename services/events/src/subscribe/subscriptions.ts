import { Inject, Injectable } from '@nestjs/common';
import type { Bus } from '@edgeplane/messaging';
import { BUS, CONFIG, LOGGER } from '@edgeplane/service-kit';
import type { Logger } from '@edgeplane/observability';
import { ValidationError } from '@edgeplane/es-kit';
import type { EventsConfig } from '../config.js';
import { encodeCursor, type Cursor } from '../stream/cursor.js';
import { eventMessage, type EventMessage } from '../stream/event-message.js';
import { Fanout } from '../stream/fanout.js';
import { sourceBounds, type ReadStart } from '../stream/source-reader.js';
import { matches, sourcePlan, type EventFilter } from '../stream/sources.js';

export type SubscribeFrom = { cursor: Cursor } | { since: string } | { now: true };

/** One Subscribe message: one event (`event`), or with max_batch > 1 a batch of them. */
export type SubscribeMessage =
  | { event: EventMessage | null; cursor: string }
  | { event: null; batch: EventMessage[]; cursor: string };

export interface SubscriptionSink {
  /** resolves when the message is handed over and the sink can take the next (backpressure) */
  write(message: SubscribeMessage): Promise<void>;
}

/**
 * The events of one subscription on their way to its sink, in the order the sources' loops hand
 * them over: while the sink is busy (the gRPC buffer full) they wait here, at most `bound`, and
 * go out together, up to `maxBatch` per message when the client asked for batches (one per
 * message otherwise). The cursor of a message is the positions of everything handed over up to
 * its last event.
 */
class Outbox {
  private readonly items: { source: string; seq: number; event: EventMessage }[] = [];
  private flushing = false;
  private failed: unknown;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly sink: SubscriptionSink,
    private readonly maxBatch: number,
    private readonly positions: Record<string, number>,
    private readonly since: string | undefined,
  ) {}

  private get bound(): number {
    return Math.max(this.maxBatch, 1) * 2 + 16;
  }

  cursor(): string {
    return encodeCursor({ positions: { ...this.positions }, ...(this.since ? { since: this.since } : {}) });
  }

  /** Queues an event; resolves once there is room for the next (throws once the sink failed). */
  async push(source: string, seq: number, event: EventMessage): Promise<void> {
    if (this.failed) throw this.failed;
    this.items.push({ source, seq, event });
    void this.flush();
    while (this.items.length >= this.bound && !this.failed)
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (this.failed) throw this.failed;
  }

  private wake(): void {
    for (const w of this.waiting.splice(0)) w();
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.items.length > 0) {
        const batch = this.items.splice(0, Math.max(1, Math.min(this.maxBatch, this.items.length)));
        for (const item of batch) this.positions[item.source] = item.seq;
        const cursor = this.cursor();
        this.wake();
        await this.sink.write(
          this.maxBatch > 1
            ? { event: null, batch: batch.map((b) => b.event), cursor }
            : { event: batch[0]!.event, cursor },
        );
      }
    } catch (error) {
      this.failed = error;
      this.wake();
    } finally {
      this.flushing = false;
    }
  }
}

export class TooManySubscriptionsError extends Error {}

/**
 * Subscribe's engine: per source stream the filter touches, the source read through the fan-out
 * (the process's one shared consumer of it, or a consumer of its own while behind), in sequence
 * order, written to the sink only when the sink takes more (CallWriter waits for the gRPC write
 * buffer to drain); what waits for a slow client is bounded (EVENTS_READ_AHEAD_BYTES per source). The
 * cursor after each event is the position of every source as delivered so far; the first message
 * carries no event, only the starting cursor.
 */
@Injectable()
export class Subscriptions {
  private active = 0;

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(CONFIG) private readonly config: EventsConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(Fanout) private readonly fanout: Fanout,
  ) {}

  get count(): number {
    return this.active;
  }

  async run(
    filter: EventFilter,
    from: SubscribeFrom,
    sink: SubscriptionSink,
    signal: AbortSignal,
    allowedClusters?: ReadonlySet<string>,
    maxBatch = 1,
  ): Promise<void> {
    if (this.active >= this.config.EVENTS_MAX_SUBSCRIPTIONS)
      throw new TooManySubscriptionsError(
        `this events service already serves ${this.active} subscriptions (EVENTS_MAX_SUBSCRIPTIONS)`,
      );
    this.active++;
    try {
      await this.runSources(filter, from, sink, signal, allowedClusters, maxBatch);
    } finally {
      this.active--;
    }
  }

  private async runSources(
    filter: EventFilter,
    from: SubscribeFrom,
    sink: SubscriptionSink,
    signal: AbortSignal,
    allowedClusters: ReadonlySet<string> | undefined,
    maxBatch: number,
  ): Promise<void> {
    const plan = sourcePlan(filter);
    const positions: Record<string, number> = {};
    const starts = new Map<string, ReadStart>();
    let since: string | undefined;
    if ('cursor' in from) {
      since = from.cursor.since;
      for (const { source } of plan) {
        const at = from.cursor.positions[source.name];
        if (at !== undefined) {
          positions[source.name] = at;
          starts.set(source.name, { after: at });
        } else if (since) starts.set(source.name, { since });
        else
          throw ValidationError.field(
            'cursor',
            `holds no position for ${source.name}: it was made for another filter; subscribe with since instead`,
          );
      }
    } else if ('since' in from) {
      since = from.since;
      for (const { source } of plan) starts.set(source.name, { since });
    } else {
      for (const { source } of plan) {
        const { last } = await sourceBounds(this.bus, source.name);
        positions[source.name] = last;
        starts.set(source.name, { after: last });
      }
    }
    const outbox = new Outbox(sink, maxBatch, positions, since);
    await sink.write(
      maxBatch > 1
        ? { event: null, batch: [], cursor: outbox.cursor() }
        : { event: null, cursor: outbox.cursor() },
    );

    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await Promise.all(
        plan.map(async ({ source, filterSubject }) => {
          try {
            for await (const m of this.fanout.read({
              source: source.name,
              filterSubject,
              start: starts.get(source.name)!,
              bytes: this.config.EVENTS_READ_AHEAD_BYTES,
              match: (e) => matches(e, filter, allowedClusters),
              signal: stop.signal,
              purpose: 'events-sub',
            })) {
              if (!m.envelope) continue;
              await outbox.push(source.name, m.seq, eventMessage(m.envelope, source.name, m.seq));
            }
          } catch (error) {
            if (!stop.signal.aborted) stop.abort(); // one source failing ends the call
            throw error;
          }
        }),
      );
    } catch (error) {
      if (!signal.aborted) throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
      stop.abort();
    }
    this.logger.debug({ filter }, 'subscription ended');
  }
}
