import { busSubject, STREAMS, streamName } from '@edgeplane/contracts';
import type { Bus } from '@edgeplane/messaging';
import { DeliverPolicy, type ConsumerMessages } from '@nats-io/jetstream';
import { ApiError } from '../http/status.js';
import type { WatchHit } from '../resources/resource.js';

/** `changes` of every cluster (the management API's cluster watch). */
export const ANY_CLUSTER = '*';

/**
 * Resource versions are positions of the cluster stream (JetStream sequence): a list is read after
 * the position is taken, so every event after it may be missing from the list and none before it.
 * A watch from a position replays the stream from there (an ordered consumer, nothing acked); a
 * position the stream no longer holds is 410 Gone, and kubectl lists again.
 */
export class ClusterStream {
  constructor(readonly bus: Bus) {}

  /** `logical` is a declared stream (STREAMS.*.name); the cluster stream unless told. */
  async position(logical: string = STREAMS.CLUSTER.name): Promise<{ first: number; last: number }> {
    const info = await this.bus.jsm.streams.info(streamName(logical));
    return { first: info.state.first_seq, last: info.state.last_seq };
  }

  /**
   * Events of `clusterId` after `after` that name an object, as (sequence, name) — until `signal`
   * aborts. The consumer is deleted when the iteration ends. Without `opts`: the cluster stream's
   * node-name-carrying events (`data.nodeName`); with them, `opts.stream` and `opts.nameOf` (which
   * skips an event by answering undefined; `added`: a new object).
   */
  async *changes(
    subject: string,
    clusterId: string,
    after: number,
    signal: AbortSignal,
    opts: {
      stream?: string;
      nameOf?: (type: string, data: Record<string, unknown>) => WatchHit | WatchHit[] | undefined;
      /** start at the first message stored at or after this time instead of after `after` */
      since?: Date;
    } = {},
  ): AsyncGenerator<WatchHit & { seq: number; type: string }> {
    const logical = opts.stream ?? STREAMS.CLUSTER.name;
    if (!opts.since) {
      // after a purge, first is the next sequence to come: anything before it is gone
      const { first } = await this.position(logical);
      if (after + 1 < first) {
        throw new ApiError(410, 'Expired', `too old resource version: ${after} (${first - 1})`);
      }
    }
    const consumer = await this.bus.js.consumers.get(streamName(logical), {
      // a string, not an array: the client then sets filter_subject, which NATS 2.9 knows too
      filter_subjects: busSubject(subject),
      ...(opts.since
        ? { deliver_policy: DeliverPolicy.StartTime, opt_start_time: opts.since.toISOString() }
        : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: after + 1 }),
    });
    let messages: ConsumerMessages | undefined;
    const stop = () => void messages?.close();
    signal.addEventListener('abort', stop, { once: true });
    try {
      messages = await consumer.consume();
      if (signal.aborted) return;
      for await (const m of messages) {
        let env: { type?: string; data?: Record<string, unknown> } & Record<string, unknown>;
        try {
          env = m.json();
        } catch {
          continue;
        }
        const data = env.data ?? env;
        // ANY_CLUSTER: the management API's cluster watch (every cluster's own events)
        if (clusterId !== ANY_CLUSTER && data.clusterId !== clusterId) continue;
        const type = env.type ?? m.headers?.get('Edgeplane-Event-Type') ?? '';
        const hits = opts.nameOf
          ? opts.nameOf(type, data)
          : typeof data.nodeName === 'string'
            ? { name: data.nodeName, added: type === 'NodeJoined' }
            : undefined;
        for (const hit of hits === undefined ? [] : Array.isArray(hits) ? hits : [hits]) {
          if (typeof hit.name !== 'string' || !hit.name) continue;
          yield { ...hit, seq: m.seq, type };
        }
      }
    } finally {
      signal.removeEventListener('abort', stop);
      await messages?.close();
      await consumer.delete().catch(() => undefined);
    }
  }
}
