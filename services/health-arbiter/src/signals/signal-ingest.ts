import {
  Heartbeat,
  ProbeReport,
  SIGNAL_PARTITIONS,
  STREAMS,
  signalPartitionFilter,
  signalSubjectPrefix,
  streamName,
} from '@edgeplane/contracts';
import { DeliverPolicy, type Consumer, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { Bus } from '@edgeplane/messaging';
import type { Logger } from '@edgeplane/observability';
import type { ClusterHealthEngine } from '../engine/cluster-health.engine.js';
import { ingestCounts } from '../health.metrics.js';

const decoder = new TextDecoder();

/**
 * Feeds heartbeats and probe reports from the SIGNALS stream into the engines. Signals are not
 * domain events: no inbox, no acks — ORDERED (ephemeral) consumers, one per owned partition (or
 * one over the whole stream when this instance owns every partition), started at a given time
 * so that a restarted arbiter replays exactly the retained window. Every signal is stamped with
 * its JetStream stream timestamp (receipt time), so a replay yields the same times as live
 * delivery and the agents' clocks never matter.
 *
 * Hot path: the cluster id is cut out of the subject and a signal for a cluster this instance
 * does not judge is counted and dropped without being decoded; the rest is decoded with the
 * contract's zod schemas (invalid ones are counted and dropped).
 */
export class SignalIngest {
  private readonly subscriptions: ConsumerMessages[] = [];
  private readonly pendingCatchUp = new Set<number>();
  private caughtUpResolve?: () => void;
  readonly caughtUp: Promise<void>;
  private isCaughtUp = false;
  private checkTimer?: NodeJS.Timeout;
  private readonly processed: number[] = [];
  /** the stream's last sequence when the replay started: delivering it (or a later one) ends the replay */
  private replayEndSeq = 0;
  /** `edgeplane.signal.` on the wire (after the EDGEPLANE_ENV prefix, if any) */
  private readonly prefix = signalSubjectPrefix();

  constructor(
    private readonly bus: Bus,
    private readonly partitions: readonly number[],
    private readonly engineOf: (clusterId: string) => ClusterHealthEngine | undefined,
    private readonly logger?: Logger,
  ) {
    this.caughtUp = new Promise((resolve) => (this.caughtUpResolve = resolve));
  }

  get replayDone(): boolean {
    return this.isCaughtUp;
  }

  /** Filter subjects: one per owned partition, or the whole stream when all are owned. */
  filters(): string[] {
    if (this.partitions.length === SIGNAL_PARTITIONS) return [`${this.prefix}>`];
    return this.partitions.map((p) => signalPartitionFilter(p));
  }

  async start(startTime: Date): Promise<void> {
    try {
      this.replayEndSeq = (await this.bus.jsm.streams.info(streamName(STREAMS.SIGNALS.name))).state.last_seq;
    } catch {
      this.replayEndSeq = 0; // no stream info: rely on the pending counts alone
    }
    const consumers: { i: number; consumer: Consumer }[] = [];
    for (const [i, filter] of this.filters().entries()) {
      const consumer = await this.bus.js.consumers.get(streamName(STREAMS.SIGNALS.name), {
        filter_subjects: filter,
        deliver_policy: DeliverPolicy.StartTime,
        opt_start_time: startTime.toISOString(),
      });
      this.pendingCatchUp.add(i);
      consumers.push({ i, consumer });
    }
    for (const { i, consumer } of consumers) {
      const messages = await consumer.consume({
        max_messages: 4096,
        callback: (msg) => this.onMessage(msg, i),
      });
      this.subscriptions.push(messages);
    }
    // A filter with nothing to replay never delivers a message with pending = 0, and the pending
    // count carried by messages was seen to stay above 0 after a replay of a non-empty window
    // (nats-server 2.9.10; the arbiter then never ticked): ask the server. The cached info is the one from
    // the consumer's creation (stale for an ordered consumer), so the info is fetched fresh.
    const check = async () => {
      for (const { i, consumer } of consumers) {
        if (!this.pendingCatchUp.has(i)) continue;
        try {
          const info = await consumer.info(false);
          // nothing left on the server (or the replay's end delivered), and everything it
          // delivered has been applied here
          const drained =
            info.num_pending === 0 ||
            (this.replayEndSeq > 0 && info.delivered.stream_seq >= this.replayEndSeq);
          if (drained && (this.processed[i] ?? 0) >= info.delivered.consumer_seq) {
            this.markCaughtUp(i);
          }
        } catch {
          /* not created yet: next check */
        }
      }
      if (!this.isCaughtUp) this.checkTimer = setTimeout(() => void check(), 250);
    };
    this.checkTimer = setTimeout(() => void check(), 100);
  }

  async stop(): Promise<void> {
    if (this.checkTimer) clearTimeout(this.checkTimer);
    await Promise.all(this.subscriptions.map((s) => s.close().catch(() => undefined)));
    this.subscriptions.length = 0;
  }

  private markCaughtUp(i: number): void {
    if (!this.pendingCatchUp.delete(i)) return;
    if (this.pendingCatchUp.size === 0 && !this.isCaughtUp) {
      this.isCaughtUp = true;
      this.logger?.info('signal window replayed');
      this.caughtUpResolve?.();
    }
  }

  private onMessage(msg: JsMsg, consumerIndex: number): void {
    const info = msg.info;
    this.processed[consumerIndex] = (this.processed[consumerIndex] ?? 0) + 1;
    if (!this.isCaughtUp && (info.pending === 0 || (this.replayEndSeq > 0 && msg.seq >= this.replayEndSeq))) {
      this.markCaughtUp(consumerIndex);
    }
    const subject = msg.subject;
    const end = subject.indexOf('.', this.prefix.length);
    if (end < 0) {
      ingestCounts.invalid++;
      return;
    }
    const clusterId = subject.slice(this.prefix.length, end);
    const engine = this.engineOf(clusterId);
    if (!engine) {
      ingestCounts.unowned++;
      return;
    }
    const receivedAt = Math.floor(Number(info.timestampNanos) / 1e6);
    ingestSignal(engine, clusterId, subject, msg.data, receivedAt);
  }
}

/** Decodes one signal and applies it to the engine (exported for tests of the decoding rules). */
export function ingestSignal(
  engine: ClusterHealthEngine,
  clusterId: string,
  subject: string,
  body: Uint8Array,
  receivedAt: number,
): void {
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(body));
  } catch {
    ingestCounts.invalid++;
    return;
  }
  if (subject.endsWith('.heartbeat')) {
    const parsed = Heartbeat.schema.safeParse(raw);
    if (!parsed.success || parsed.data.clusterId !== clusterId) {
      ingestCounts.invalid++;
      return;
    }
    engine.observeHeartbeat(parsed.data.node, receivedAt);
    ingestCounts.heartbeats++;
    ingestCounts.observations++;
  } else if (subject.endsWith('.probe')) {
    const parsed = ProbeReport.schema.safeParse(raw);
    if (!parsed.success || parsed.data.clusterId !== clusterId) {
      ingestCounts.invalid++;
      return;
    }
    engine.observeProbeReport(parsed.data.reporter, parsed.data.results, receivedAt);
    ingestCounts.reports++;
    ingestCounts.observations += parsed.data.results.length;
  } else {
    ingestCounts.invalid++;
  }
}
