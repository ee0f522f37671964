import { publicEventScope, type Envelope } from '@edgeplane/contracts';

/** edgeplane.events.v1.Event of an envelope read from `source` at `seq`. */
export function eventMessage(envelope: Envelope, source: string, seq: number) {
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
export type EventMessage = ReturnType<typeof eventMessage>;
