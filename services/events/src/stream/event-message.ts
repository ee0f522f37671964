import { publicEventScope, type Envelope } from '@edgeplane/contracts';

const built = new WeakMap<Envelope, EventMessage>();

/**
 * edgeplane.events.v1.Event of an envelope read from `source` at `seq`; made once per decoded
 * envelope (the readers share those), so many subscriptions do not each serialize the data.
 */
export function eventMessage(envelope: Envelope, source: string, seq: number): EventMessage {
  let m = built.get(envelope);
  if (!m) {
    m = makeEventMessage(envelope, source, seq);
    built.set(envelope, m);
  }
  return m;
}

function makeEventMessage(envelope: Envelope, source: string, seq: number) {
  return {
    id: envelope.id,
    type: envelope.type,
    version: envelope.version,
    streamId: envelope.streamId,
    streamPosition: String(envelope.streamPosition),
    occurredAt: envelope.occurredAt,
    actor: envelope.metadata.actor ?? '',
    dataJson: JSON.stringify(envelope.data),
    clusterId: publicEventScope(envelope.type, envelope.data)?.clusterId ?? '',
    source,
    sequence: String(seq),
  };
}
export type EventMessage = ReturnType<typeof makeEventMessage>;
