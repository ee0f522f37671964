import { createHmac, timingSafeEqual } from 'node:crypto';
import { catalogue, publicEventScope, type Envelope } from '@edgeplane/contracts';

/**
 * A delivery's body: the event as a CloudEvents 1.0 structured-mode JSON document. `id` is the
 * event id (the receiver's dedupe key); `type` io.edgeplane.<Type>.v<version>; extensions carry
 * where it came from (source stream and sequence) and its cluster.
 */
export function cloudEvent(envelope: Envelope, source: string, seq: number): Record<string, unknown> {
  const emitter = catalogue.find(envelope.type, envelope.version)?.emitter ?? 'edgeplane';
  return {
    specversion: '1.0',
    id: envelope.id,
    source: `/edgeplane/${emitter}`,
    type: `io.edgeplane.${envelope.type}.v${envelope.version}`,
    subject: envelope.streamId,
    time: envelope.occurredAt,
    datacontenttype: 'application/json',
    dataschema: `https://edgeplane.io/events/asyncapi.yaml#/components/messages/${envelope.type}.v${envelope.version}`,
    edgeplanecluster: publicEventScope(envelope.type, envelope.data)?.clusterId ?? '',
    edgeplanestream: source,
    edgeplanesequence: seq,
    edgeplanestreamposition: envelope.streamPosition,
    data: envelope.data,
  };
}

export const SIGNATURE_HEADER = 'edgeplane-signature';

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` */
export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`, 'utf8').digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/**
 * What a receiver does (documented in the README, used by the tests): the signature matches the
 * body under the secret and the timestamp is within `toleranceSeconds` of now (replay protection;
 * the event id dedupes what a retry sends again).
 */
export function verifySignature(
  secret: string,
  body: string,
  header: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const m = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) return false;
  const t = Number(m[1]);
  if (Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signatureHeader(secret, body, t).split('v1=')[1]!, 'hex');
  return timingSafeEqual(expected, Buffer.from(m[2]!, 'hex'));
}
