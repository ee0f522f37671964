import { headers as natsHeaders } from '@nats-io/transport-node';
import { busSubject } from '@edgeplane/contracts';
import type { EventPublisher } from '@edgeplane/eventstore';
import type { Bus } from './connection.js';

/** The outbox relay's publisher: JetStream publish with Msg-Id, resolved on PubAck. */
export class JetStreamPublisher implements EventPublisher {
  duplicates = 0;
  constructor(private readonly bus: Bus) {}

  /** What the connected server accepts per message (1 MiB unless configured otherwise). */
  get maxPayload(): number | undefined {
    return this.bus.nc.info?.max_payload;
  }

  async publish(
    subject: string,
    body: Uint8Array,
    options: { msgId: string; headers: Record<string, string> },
  ) {
    const h = natsHeaders();
    for (const [k, v] of Object.entries(options.headers)) h.set(k, v);
    // the catalogue's subject, under this process's EDGEPLANE_ENV
    const ack = await this.bus.js.publish(busSubject(subject), body, { msgID: options.msgId, headers: h });
    if (ack.duplicate) this.duplicates++;
  }
}
