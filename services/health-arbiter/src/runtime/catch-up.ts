import { durableName, streamName } from '@edgeplane/contracts';
import type { Bus } from '@edgeplane/messaging';

/** One durable consumer whose progress is tracked (names as declared; the environment is applied here). */
export interface TrackedDurable {
  stream: string;
  durable: string;
}

interface Candidate {
  at: number;
  seq: number;
}

/**
 * How far the domain inputs (membership and node events) have been applied: the latest time T
 * such that every message published on the consumers' streams before T has been applied and
 * acked. Measured from the server, not trusted from messages: at each poll (time t) the stream's
 * last sequence S is noted; once the consumer's ack floor reaches S, everything published before t
 * is applied. A consumer with nothing pending and nothing unacked is applied up to the poll itself.
 */
export class CatchUpTracker {
  private readonly candidates: Candidate[][];
  private readonly applied: number[];

  constructor(
    private readonly bus: Bus,
    private readonly durables: readonly TrackedDurable[],
  ) {
    this.candidates = durables.map(() => []);
    this.applied = durables.map(() => Number.NEGATIVE_INFINITY);
  }

  /** Polls every tracked consumer once; returns the time everything before which is applied. */
  async poll(now = Date.now()): Promise<number> {
    await Promise.all(
      this.durables.map(async (d, i) => {
        const stream = streamName(d.stream);
        const [si, ci] = await Promise.all([
          this.bus.jsm.streams.info(stream),
          this.bus.jsm.consumers.info(stream, durableName(d.durable)),
        ]);
        const list = this.candidates[i]!;
        if (ci.num_pending === 0 && ci.num_ack_pending === 0) {
          this.applied[i] = Math.max(this.applied[i]!, now);
          list.length = 0;
          return;
        }
        const floor = ci.ack_floor.stream_seq;
        while (list.length > 0 && list[0]!.seq <= floor)
          this.applied[i] = Math.max(this.applied[i]!, list.shift()!.at);
        list.push({ at: now, seq: si.state.last_seq });
        if (list.length > 1000) list.splice(0, list.length - 1000);
      }),
    );
    return Math.min(...this.applied);
  }
}
