import {
  STREAMS,
  busSubject,
  deadLetterSubject,
  decodeEnvelope,
  logicalSubject,
  streamName,
} from '@edgeplane/contracts';
import type { Bus, ConsumerRunner } from '@edgeplane/messaging';
import { DeliverPolicy, type JsMsg } from '@nats-io/jetstream';

/** One dead letter as an operator sees it: what it was, which consumer gave up, why. Never its data. */
export interface DeadLetterInfo {
  id: number;
  durable: string;
  service: string;
  eventType: string;
  eventId: string;
  error: string;
  errorType: string;
  deliveryCount: number;
  originalSubject: string;
  originalSequence: number;
  deadLetteredAt: string;
}

export interface DeadLetterReplay {
  id: number;
  durable: string;
  eventId: string;
  outcome: 'applied' | 'duplicate' | 'failed' | 'not-found' | 'not-here';
  detail: string;
}

const ERROR_CHARS = 500;
/** how long a listing waits for a page that is not full (no message after the last one) */
const LIST_WAIT_MS = 1000;

const dlqStream = () => streamName(STREAMS.DEAD_LETTER.name);
const serviceOf = (durable: string) => (durable.includes('__') ? durable.split('__')[0]! : '');

/** The event's type and id from a dead letter's body, when it is an envelope at all. */
function describe(data: Uint8Array): { eventType: string; eventId: string } {
  try {
    const envelope = decodeEnvelope(data);
    return { eventType: envelope.type, eventId: envelope.id };
  } catch {
    return { eventType: '(undecodable)', eventId: '' };
  }
}

function toInfo(msg: JsMsg): DeadLetterInfo {
  const h = (k: string) => msg.headers?.get(k) ?? '';
  const durable = h('Edgeplane-Consumer');
  return {
    id: msg.seq,
    durable,
    service: serviceOf(durable),
    ...describe(msg.data),
    error: h('Edgeplane-Error').slice(0, ERROR_CHARS),
    errorType: h('Edgeplane-Error-Type'),
    deliveryCount: Number(h('Edgeplane-Delivery-Count') || 0),
    originalSubject: logicalSubject(h('Edgeplane-Original-Subject')),
    originalSequence: Number(h('Edgeplane-Original-Sequence') || 0),
    deadLetteredAt: new Date(Math.floor(msg.info.timestampNanos / 1e6)).toISOString(),
  };
}

/**
 * A page of the dead-letter stream (of one consumer, or all), oldest first, after sequence
 * `after`. Read with an ordered (ephemeral, unacknowledged) consumer: listing changes nothing.
 */
export async function listDeadLetters(
  bus: Bus,
  options: { durable?: string; pageSize: number; after: number },
): Promise<{ items: DeadLetterInfo[]; next?: number }> {
  const filter = options.durable ? deadLetterSubject(options.durable) : busSubject('edgeplane.dlq.>');
  const stream = dlqStream();
  const info = await bus.jsm.streams.info(stream);
  if (info.state.messages === 0 || info.state.last_seq <= options.after) return { items: [] };
  const consumer = await bus.js.consumers.get(stream, {
    filter_subjects: filter,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: options.after + 1,
  });
  const items: DeadLetterInfo[] = [];
  let more = false;
  const batch = await consumer.fetch({ max_messages: options.pageSize, expires: LIST_WAIT_MS });
  for await (const msg of batch) {
    items.push(toInfo(msg));
    more = msg.info.pending > 0;
    if (!more || items.length >= options.pageSize) break;
  }
  await consumer.delete().catch(() => undefined);
  const last = items[items.length - 1];
  return { items, ...(more && last ? { next: last.id } : {}) };
}

/** Every dead letter of one consumer (for `replay --all`). */
export async function deadLetterIds(bus: Bus, durable: string, max = 10_000): Promise<number[]> {
  const ids: number[] = [];
  let after = 0;
  for (;;) {
    const page = await listDeadLetters(bus, { durable, pageSize: 1000, after });
    ids.push(...page.items.map((i) => i.id));
    if (page.next === undefined || ids.length >= max) return ids;
    after = page.next;
  }
}

/**
 * Applies dead letters again through the consumer that gave up on them, if this process runs it
 * (same handler, same inbox: a message it applied already is a duplicate and changes nothing).
 * Applied or duplicate: the dead letter is deleted from the stream. Failed: it stays, with the
 * new error in the result.
 */
export async function replayDeadLetters(
  bus: Bus,
  runners: readonly ConsumerRunner[],
  ids: readonly number[],
): Promise<DeadLetterReplay[]> {
  const stream = dlqStream();
  const results: DeadLetterReplay[] = [];
  for (const id of ids) {
    const stored = await bus.jsm.streams.getMessage(stream, { seq: id });
    if (!stored) {
      results.push({
        id,
        durable: '',
        eventId: '',
        outcome: 'not-found',
        detail: 'no such dead letter (replayed already?)',
      });
      continue;
    }
    const durable = stored.header?.get('Edgeplane-Consumer') ?? '';
    const { eventId } = describe(stored.data);
    const runner = runners.find((r) => r.durable === durable);
    if (!runner) {
      results.push({
        id,
        durable,
        eventId,
        outcome: 'not-here',
        detail: `consumer ${durable || '(unknown)'} does not run in this service${serviceOf(durable) ? `; ask ${serviceOf(durable)}` : ''}`,
      });
      continue;
    }
    let envelope;
    try {
      envelope = decodeEnvelope(stored.data);
    } catch (error) {
      results.push({
        id,
        durable,
        eventId,
        outcome: 'failed',
        detail: `not an event envelope, cannot be applied: ${(error as Error).message.slice(0, ERROR_CHARS)}`,
      });
      continue;
    }
    try {
      const subject = logicalSubject(stored.header?.get('Edgeplane-Original-Subject') ?? '');
      const outcome = await runner.replay(envelope, subject);
      await bus.jsm.streams.deleteMessage(stream, id).catch(() => false);
      results.push({
        id,
        durable,
        eventId,
        outcome,
        detail: outcome === 'applied' ? 'applied by the consumer' : 'the consumer had applied it already',
      });
    } catch (error) {
      results.push({
        id,
        durable,
        eventId,
        outcome: 'failed',
        detail: (error as Error).message.slice(0, ERROR_CHARS),
      });
    }
  }
  return results;
}
