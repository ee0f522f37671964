import { busSubject, STREAMS, streamName } from '@edgeplane/contracts';
import type { Bus } from '@edgeplane/messaging';
import { DeliverPolicy, type ConsumerMessages } from '@nats-io/jetstream';
import { ApiError } from '../http/status.js';

/**
 * Resource versions are positions of the cluster stream (JetStream sequence): a list is read after
 * the position is taken, so every event after it may be missing from the list and none before it.
 * A watch from a position replays the stream from there (an ordered consumer, nothing acked); a
 * position the stream no longer holds is 410 Gone, and kubectl lists again.
 */
export class ClusterStream {
  constructor(private readonly bus: Bus) {}

  private get stream(): string {
    return streamName(STREAMS.CLUSTER.name);
  }

  async position(): Promise<{ first: number; last: number }> {
    const info = await this.bus.jsm.streams.info(this.stream);
    return { first: info.state.first_seq, last: info.state.last_seq };
  }

  /**
   * Node-name-carrying events of `clusterId` after `after`, as (sequence, node name) — until
   * `signal` aborts. The consumer is deleted when the iteration ends.
   */
  async *changes(
    subject: string,
    clusterId: string,
    after: number,
    signal: AbortSignal,
  ): AsyncGenerator<{ seq: number; name: string; type: string }> {
    // after a purge, first is the next sequence to come: anything before it is gone
    const { first } = await this.position();
    if (after + 1 < first) {
      throw new ApiError(410, 'Expired', `too old resource version: ${after} (${first - 1})`);
    }
    const consumer = await this.bus.js.consumers.get(this.stream, {
      // a string, not an array: the client then sets filter_subject, which NATS 2.9 knows too
      filter_subjects: busSubject(subject),
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: after + 1,
    });
    let messages: ConsumerMessages | undefined;
    const stop = () => void messages?.close();
    signal.addEventListener('abort', stop, { once: true });
    try {
      messages = await consumer.consume();
      if (signal.aborted) return;
      for await (const m of messages) {
        let env: { type?: string; data?: { clusterId?: string; nodeName?: string } } & {
          clusterId?: string;
          nodeName?: string;
        };
        try {
          env = m.json();
        } catch {
          continue;
        }
        const data = env.data ?? env;
        if (data.clusterId !== clusterId || typeof data.nodeName !== 'string') continue;
        yield {
          seq: m.seq,
          name: data.nodeName,
          type: env.type ?? m.headers?.get('Edgeplane-Event-Type') ?? '',
        };
      }
    } finally {
      signal.removeEventListener('abort', stop);
      await messages?.close();
      await consumer.delete().catch(() => undefined);
    }
  }
}
