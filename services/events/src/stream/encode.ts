import { loadPackage, protoFilesOf, varint } from '@edgeplane/proto';
import type { SubscribeMessage } from '../subscribe/subscriptions.js';
import type { EventMessage } from './event-message.js';

const { packageDefinition } = loadPackage(protoFilesOf('events'));
const serializeEvent = (
  packageDefinition['edgeplane.events.v1.Event'] as unknown as { serialize(value: unknown): Buffer }
).serialize;

const encoded = new WeakMap<EventMessage, Buffer>();

/** edgeplane.events.v1.Event's bytes, encoded once per message however many calls send it. */
function eventBytes(event: EventMessage): Buffer {
  let bytes = encoded.get(event);
  if (!bytes) {
    bytes = serializeEvent(event);
    encoded.set(event, bytes);
  }
  return bytes;
}

/**
 * edgeplane.events.v1.SubscribeResponse as bytes (written to the call as they are: the service
 * kit's gRPC options accept pre-encoded responses): `event` = field 1, `cursor` = 2, `batch` = 3,
 * each length-delimited; the events' bytes come from the cache, only the cursor is new per call.
 * The same bytes as the generic encoder makes (tested).
 */
export function encodeSubscribeResponse(message: SubscribeMessage): Buffer {
  const parts: Buffer[] = [];
  const field = (n: number, bytes: Buffer) => {
    parts.push(Buffer.from([(n << 3) | 2, ...varint(bytes.length)]), bytes);
  };
  if (message.event) field(1, eventBytes(message.event));
  field(2, Buffer.from(message.cursor, 'utf8'));
  if ('batch' in message) for (const event of message.batch) field(3, eventBytes(event));
  return Buffer.concat(parts);
}
