import { SpanKind, SpanStatusCode, context, propagation, trace, ROOT_CONTEXT } from '@opentelemetry/api';
import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { decodeEnvelope, deadLetterSubject, type Envelope } from '@edgeplane/contracts';
import type { AnyDb, Trx } from '@edgeplane/eventstore';
import { metrics, type Logger } from '@edgeplane/observability';
import type { Bus } from './connection.js';
import { ensureConsumer, type ConsumerDeclaration } from './provisioning.js';

const tracer = trace.getTracer('@edgeplane/messaging');

export interface HandlerContext {
  /** the handler's transaction; the inbox row is written in it, the ack follows its commit */
  trx: Trx;
  deliveryCount: number;
  subject: string;
}

export type EnvelopeHandler = (envelope: Envelope, ctx: HandlerContext) => Promise<void>;

export interface ConsumerRunnerOptions extends ConsumerDeclaration {
  /** database + schema holding the inbox; the handler runs inside one of its transactions */
  db: AnyDb;
  schema: string;
  handler: EnvelopeHandler;
  /** delay before redelivery after a failure, by delivery count (default 100ms · 2^(n-1), max 5s) */
  backoffMs?: (deliveryCount: number) => number;
  logger?: Logger;
  /** called after a message's transaction committed and it was acked (benchmarks, tests) */
  onApplied?: (envelope: Envelope) => void;
}

/** Thrown for messages that can never succeed; they go to the dead-letter subject at once. */
export class PoisonMessageError extends Error {}

/**
 * Runs one durable pull consumer with the settlement rules of the platform:
 *  - ack only after the handler's transaction (which also records the message id in the inbox)
 *    has committed, so an acknowledged message is never lost and a redelivered one is a no-op;
 *  - nak with backoff when the handler throws;
 *  - after maxDeliver attempts, or at once for an undecodable message, publish it to
 *    `edgeplane.dlq.<durable>` with the error and terminate it.
 */
export class ConsumerRunner {
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;
  private lagTimer?: NodeJS.Timeout;
  private readonly maxDeliver: number;

  constructor(
    private readonly bus: Bus,
    private readonly options: ConsumerRunnerOptions,
  ) {
    this.maxDeliver = options.maxDeliver ?? 5;
  }

  get durable(): string {
    return this.options.durable;
  }

  async start(): Promise<void> {
    await ensureConsumer(this.bus.jsm, this.options);
    const consumer = await this.bus.js.consumers.get(this.options.stream, this.options.durable);
    this.messages = await consumer.consume({ max_messages: 256 });
    this.loop = (async () => {
      for await (const msg of this.messages!) await this.process(msg);
    })();
    this.lagTimer = setInterval(() => void this.reportLag(), 5000).unref();
  }

  async stop(): Promise<void> {
    if (this.lagTimer) clearInterval(this.lagTimer);
    if (this.messages) await this.messages.close().catch(() => undefined);
    await this.loop?.catch(() => undefined);
  }

  private async reportLag(): Promise<void> {
    try {
      const info = await this.bus.jsm.consumers.info(this.options.stream, this.options.durable);
      metrics.consumerLag.set({ consumer: this.durable }, info.num_pending + info.num_ack_pending);
    } catch {
      /* transient: next tick */
    }
  }

  private async process(msg: JsMsg): Promise<void> {
    const carrier: Record<string, string> = {};
    for (const key of ['traceparent', 'tracestate']) {
      const v = msg.headers?.get(key);
      if (v) carrier[key] = v;
    }
    const parent = propagation.extract(ROOT_CONTEXT, carrier);
    const deliveryCount = msg.info.deliveryCount;
    await tracer.startActiveSpan(
      `consume ${msg.subject}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'nats',
          'messaging.destination.name': msg.subject,
          'messaging.consumer.group.name': this.durable,
          'messaging.delivery_count': deliveryCount,
        },
      },
      parent,
      async (span) => {
        const timer = metrics.consumerDuration.startTimer({ consumer: this.durable });
        if (deliveryCount > 1) metrics.consumerRedeliveries.inc({ consumer: this.durable });
        try {
          let envelope: Envelope;
          try {
            envelope = decodeEnvelope(msg.data);
          } catch (error) {
            throw new PoisonMessageError(`undecodable message: ${(error as Error).message}`);
          }
          span.setAttribute('messaging.message.id', envelope.id);
          const applied = await this.options.db.transaction().execute(async (trx) => {
            const inserted = await trx
              .withSchema(this.options.schema)
              .insertInto('inbox')
              .values({ consumer: this.durable, message_id: envelope.id })
              .onConflict((oc) => oc.columns(['consumer', 'message_id']).doNothing())
              .executeTakeFirst();
            if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return false; // seen before: no second effect
            await this.options.handler(envelope, { trx, deliveryCount, subject: msg.subject });
            return true;
          });
          await msg.ackAck().catch(() => msg.ack());
          if (applied) this.options.onApplied?.(envelope);
          metrics.consumerProcessed.inc({ consumer: this.durable, outcome: applied ? 'applied' : 'duplicate' });
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
          const poison = error instanceof PoisonMessageError;
          if (poison || deliveryCount >= this.maxDeliver) {
            await this.deadLetter(msg, error as Error);
          } else {
            const delay = this.options.backoffMs?.(deliveryCount) ?? Math.min(5000, 100 * 2 ** (deliveryCount - 1));
            msg.nak(delay);
            metrics.consumerProcessed.inc({ consumer: this.durable, outcome: 'retry' });
            this.options.logger?.warn(
              { consumer: this.durable, subject: msg.subject, deliveryCount, err: (error as Error).message },
              'handler failed; will retry',
            );
          }
        } finally {
          timer();
          span.end();
        }
      },
    );
  }

  private async deadLetter(msg: JsMsg, error: Error): Promise<void> {
    const h = natsHeaders();
    h.set('Edgeplane-Error', error.message.slice(0, 2000).replace(/[\r\n]+/g, ' '));
    h.set('Edgeplane-Error-Type', error.name);
    h.set('Edgeplane-Original-Subject', msg.subject);
    h.set('Edgeplane-Original-Stream', msg.info.stream);
    h.set('Edgeplane-Original-Sequence', String(msg.seq));
    h.set('Edgeplane-Delivery-Count', String(msg.info.deliveryCount));
    h.set('Edgeplane-Consumer', this.durable);
    const traceCarrier: Record<string, string> = {};
    propagation.inject(context.active(), traceCarrier);
    for (const [k, v] of Object.entries(traceCarrier)) h.set(k, v);
    await this.bus.js.publish(deadLetterSubject(this.durable), msg.data, {
      headers: h,
      msgID: `${this.durable}:${msg.info.stream}:${msg.seq}`,
    });
    await msg.term(`dead-lettered: ${error.message.slice(0, 200)}`);
    metrics.consumerDeadLetters.inc({ consumer: this.durable });
    metrics.consumerProcessed.inc({ consumer: this.durable, outcome: 'dead_letter' });
    this.options.logger?.error(
      { consumer: this.durable, subject: msg.subject, err: error.message },
      'message dead-lettered',
    );
  }
}
