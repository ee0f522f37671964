import { SpanKind, SpanStatusCode, context, trace, type Context, type Span } from '@opentelemetry/api';
import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import {
  decodeEnvelope,
  deadLetterSubject,
  durableName,
  logicalSubject,
  streamName,
  type Envelope,
} from '@edgeplane/contracts';
import type { Db, Trx } from '@edgeplane/eventstore';
import { extractTraceContext, injectTraceContext, metrics, type Logger } from '@edgeplane/observability';
import type { Bus } from './connection.js';
import { ensureConsumer, type ConsumerDeclaration } from './provisioning.js';
import { isTransientError } from './transient.js';
import { untilReachable } from './until-reachable.js';

const tracer = trace.getTracer('@edgeplane/messaging');

export interface HandlerContext {
  /** the handler's transaction; the inbox row is written in it, the ack follows its commit */
  trx: Trx;
  deliveryCount: number;
  /** the message's declared subject (without the EDGEPLANE_ENV prefix it travelled under) */
  subject: string;
  /**
   * Work to run once per `key` after every handler of the batch, still inside the transaction
   * (the last registration of a key wins). A consumer whose effect is "recompute X" registers it
   * here so a burst of 100 events recomputes X once, not 100 times.
   */
  afterBatch(key: string, work: (trx: Trx) => Promise<void>): void;
}

export type EnvelopeHandler = (envelope: Envelope, ctx: HandlerContext) => Promise<void>;

export interface ConsumerRunnerOptions extends ConsumerDeclaration {
  /** database + schema holding the inbox; the handler runs inside one of its transactions */
  db: Db;
  schema: string;
  handler: EnvelopeHandler;
  /** delay before redelivery after a handler failure, by delivery count (default 100ms · 2^(n-1), max 5s) */
  backoffMs?: (deliveryCount: number) => number;
  /**
   * pause before the next in-process attempt after a transient failure, by attempt (default
   * 100ms · 2^n, max 5s); such attempts are not deliveries and spend none of the budget
   */
  transientBackoffMs?: (attempt: number) => number;
  logger?: Logger;
  /** most messages settled by one transaction; default 100 */
  batchSize?: number;
  /** called after a message's transaction committed and it was acked (benchmarks, tests) */
  onApplied?: (envelope: Envelope) => void;
}

type Outcome = {
  msg: JsMsg;
  span: Span;
  envelope?: Envelope;
  kind: 'applied' | 'duplicate' | 'failed' | 'poison' | 'transient';
  error?: Error;
};

/** What a replay from the dead-letter stream did (`ConsumerRunner.replay`). */
export type ReplayOutcome = 'applied' | 'duplicate';

type Decoded = { msg: JsMsg; envelope: Envelope; span: Span; ctx: Context };

class HandlerFailed extends Error {
  constructor(readonly failure: Error) {
    super(failure.message);
  }
}

/**
 * Thrown for messages that can never succeed (undecodable, or a handler that knows it): they go
 * to the dead-letter subject at once, without the retries a transient failure gets.
 */
export class PoisonMessageError extends Error {}

/**
 * Runs one durable pull consumer with the settlement rules of the platform:
 *  - ack only after the handler's transaction (which also records the message id in the inbox)
 *    has committed, so an acknowledged message is never lost and a redelivered one is a no-op;
 *    messages waiting together share one transaction (one inbox insert, one commit); when a
 *    handler fails, the batch is rolled back and its messages are settled one transaction each;
 *  - a TRANSIENT failure (`isTransientError`: database connection lost or refused, serialization
 *    failure, deadlock, lock/statement timeout, pool timeout, NATS timeout) is not the message's
 *    fault: the runner holds the messages (extending their ack deadline with `working()`, so the
 *    server does not redeliver them) and retries the same work in-process with capped backoff for
 *    as long as the failure lasts. No redelivery happens, so no delivery is spent;
 *  - any other handler error is nak'ed with backoff (a redelivery: one delivery spent);
 *  - after maxDeliver deliveries that failed so, or at once for an undecodable message or a
 *    PoisonMessageError, publish it to `edgeplane.dlq.<durable>` with the error and terminate it.
 *    The server's own max_deliver is unlimited (provisioning), so nothing is ever dropped
 *    silently: the runner alone decides, and only ever towards the dead-letter stream.
 */
export class ConsumerRunner {
  private messages?: ConsumerMessages;
  private readonly queue: JsMsg[] = [];
  private signal?: () => void;
  private closed = false;
  private stopping = false;
  private interrupt?: () => void;
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
    // NATS away at start (or lost since the connect): wait for it; a config conflict ends the start
    const consumer = await untilReachable(
      this.options.logger,
      'message bus',
      `consumer ${this.options.durable}`,
      async () => {
        await ensureConsumer(this.bus.jsm, this.options);
        return this.bus.js.consumers.get(streamName(this.options.stream), durableName(this.options.durable));
      },
    ).catch((error: Error) => {
      throw new Error(
        `consumer ${this.options.durable} on stream ${this.options.stream} cannot be provisioned: ${error.message}`,
        { cause: error },
      );
    });
    const messages = await consumer.consume({ max_messages: 256 });
    this.messages = messages;
    // The pump only queues; the drain loop settles what has arrived in batches, so one commit
    // (one fsync) covers every message that was waiting.
    const pump = (async () => {
      for await (const msg of messages) {
        this.queue.push(msg);
        this.signal?.();
      }
    })().finally(() => {
      this.closed = true;
      this.signal?.();
    });
    this.loop = Promise.all([pump, this.drain()]).then(() => undefined);
    this.lagTimer = setInterval(() => void this.reportLag(), 5000).unref();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.interrupt?.();
    if (this.lagTimer) clearInterval(this.lagTimer);
    if (this.messages) await this.messages.close().catch(() => undefined);
    await this.loop?.catch(() => undefined);
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.queue.length === 0) {
        if (this.closed) return;
        await new Promise<void>((resolve) => (this.signal = resolve));
        this.signal = undefined;
        continue;
      }
      const batch = this.queue.splice(0, this.options.batchSize ?? 100);
      await this.settle(batch);
    }
  }

  /**
   * Applies a batch until every message of it is settled (acked, nak'ed for a handler error, or
   * dead-lettered). Messages that failed transiently stay held here and are tried again: a batch
   * failure never drops or naks a message, and never spends its delivery budget.
   */
  private async settle(batch: JsMsg[]): Promise<void> {
    for (const msg of batch) {
      if (msg.info.deliveryCount > 1) metrics.consumerRedeliveries.inc({ consumer: this.durable });
    }
    let pending = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      const outcomes = await this.processBatch(pending);
      const held: JsMsg[] = [];
      let cause: Error | undefined;
      for (const o of outcomes) {
        if (o.kind === 'transient') {
          held.push(o.msg);
          cause = o.error;
          o.span.setAttribute('edgeplane.transient_attempt', attempt + 1);
          o.span.end();
          continue;
        }
        await this.settleOne(o);
      }
      if (held.length === 0) return;
      metrics.consumerProcessed.inc({ consumer: this.durable, outcome: 'transient' }, held.length);
      if (this.stopping) {
        // shutting down: hand them back at once (a replica, or this service's next start, takes them)
        for (const msg of held) msg.nak();
        return;
      }
      const wait = this.transientBackoff(attempt);
      this.options.logger?.warn(
        {
          consumer: this.durable,
          messages: held.length,
          attempt: attempt + 1,
          retryInMs: wait,
          err: cause?.message,
        },
        'transient failure; holding the messages and retrying (no delivery spent)',
      );
      await this.hold(held, wait);
      if (this.stopping) {
        for (const msg of held) msg.nak();
        return;
      }
      pending = held;
    }
  }

  /**
   * Waits `ms` while keeping held and queued messages ours: `working()` restarts their ack
   * deadline, so the server does not redeliver them (which would spend a delivery).
   */
  private async hold(held: JsMsg[], ms: number): Promise<void> {
    const step = Math.max(50, Math.floor((this.options.ackWaitMs ?? 30_000) / 3));
    const until = Date.now() + ms;
    for (;;) {
      for (const msg of held) msg.working();
      for (const msg of this.queue) msg.working();
      const left = until - Date.now();
      if (left <= 0 || this.stopping) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          if (this.interrupt === done) this.interrupt = undefined;
          resolve();
        };
        const timer = setTimeout(done, Math.min(step, left));
        this.interrupt = done;
      });
    }
  }

  private transientBackoff(attempt: number): number {
    return this.options.transientBackoffMs?.(attempt) ?? Math.min(5000, 100 * 2 ** attempt);
  }

  /** Acks, naks or dead-letters one message whose outcome is final for this delivery. */
  private async settleOne(o: Outcome): Promise<void> {
    if (o.kind === 'applied' || o.kind === 'duplicate') {
      o.msg.ack();
      if (o.kind === 'applied') this.options.onApplied?.(o.envelope!);
      metrics.consumerProcessed.inc({ consumer: this.durable, outcome: o.kind });
      o.span.end();
      return;
    }
    o.span.recordException(o.error!);
    o.span.setStatus({ code: SpanStatusCode.ERROR, message: o.error!.message });
    if (o.kind === 'poison' || o.msg.info.deliveryCount >= this.maxDeliver) {
      try {
        await context.with(trace.setSpan(context.active(), o.span), () => this.deadLetter(o.msg, o.error!));
      } catch (error) {
        // the dead-letter stream did not take it (NATS away): it comes back and is dead-lettered then
        o.msg.nak(this.backoff(o.msg.info.deliveryCount));
        this.options.logger?.error(
          { consumer: this.durable, subject: o.msg.subject, err: (error as Error).message },
          'could not dead-letter the message; it will be redelivered',
        );
      }
    } else {
      o.msg.nak(this.backoff(o.msg.info.deliveryCount));
      metrics.consumerProcessed.inc({ consumer: this.durable, outcome: 'retry' });
      this.options.logger?.warn(
        {
          consumer: this.durable,
          subject: o.msg.subject,
          deliveryCount: o.msg.info.deliveryCount,
          err: o.error!.message,
        },
        'handler failed; will retry',
      );
    }
    o.span.end();
  }

  private backoff(deliveryCount: number): number {
    return this.options.backoffMs?.(deliveryCount) ?? Math.min(5000, 100 * 2 ** (deliveryCount - 1));
  }

  private async reportLag(): Promise<void> {
    try {
      const info = await this.bus.jsm.consumers.info(
        streamName(this.options.stream),
        durableName(this.options.durable),
      );
      metrics.consumerLag.set({ consumer: this.durable }, info.num_pending + info.num_ack_pending);
    } catch {
      /* transient: next tick */
    }
  }

  /** Decodes and applies; never throws: every message gets an outcome. */
  private async processBatch(batch: JsMsg[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    const decoded: Decoded[] = [];
    for (const msg of batch) {
      const parent = extractTraceContext({
        traceparent: msg.headers?.get('traceparent') || undefined,
        tracestate: msg.headers?.get('tracestate') || undefined,
      });
      const span = tracer.startSpan(
        `consume ${logicalSubject(msg.subject)}`,
        {
          kind: SpanKind.CONSUMER,
          attributes: {
            'messaging.system': 'nats',
            'messaging.destination.name': msg.subject,
            'messaging.consumer.group.name': this.durable,
            'messaging.delivery_count': msg.info.deliveryCount,
            'messaging.batch.message_count': batch.length,
          },
        },
        parent,
      );
      try {
        const envelope = decodeEnvelope(msg.data);
        span.setAttribute('messaging.message.id', envelope.id);
        decoded.push({ msg, envelope, span, ctx: trace.setSpan(parent, span) });
      } catch (error) {
        outcomes.push({
          msg,
          span,
          kind: 'poison',
          error: new PoisonMessageError(`undecodable message: ${(error as Error).message}`),
        });
      }
    }
    const timer = metrics.consumerDuration.startTimer({ consumer: this.durable });
    if (decoded.length > 0) {
      try {
        outcomes.push(...(await this.applyTogether(decoded)));
      } catch (error) {
        const failure = error instanceof HandlerFailed ? error.failure : (error as Error);
        if (isTransientError(failure)) {
          // the database (or the bus) failed, not the messages: hold them all and try again
          for (const d of decoded) outcomes.push({ ...d, kind: 'transient', error: failure });
        } else if (error instanceof HandlerFailed) {
          // One handler failed, so the shared transaction rolled back: settle each message in a
          // transaction of its own, so only the failing one is retried.
          for (const item of decoded) outcomes.push(await this.applyAlone(item));
        } else {
          // the batch's own statements failed for a lasting reason: each message fails (and, past
          // its budget, is dead-lettered where an operator can replay it) instead of looping unseen
          for (const d of decoded) outcomes.push({ ...d, kind: 'failed', error: failure });
        }
      }
    }
    timer();
    return outcomes;
  }

  /** All waiting messages in one transaction: one inbox insert for the batch, then the handlers. */
  private async applyTogether(items: Decoded[]): Promise<Outcome[]> {
    return this.options.db.transaction().execute(async (trx) => {
      const rows = await trx
        .withSchema(this.options.schema)
        .insertInto('inbox')
        .values(items.map((d) => ({ consumer: this.durable, message_id: d.envelope.id })))
        .onConflict((oc) => oc.columns(['consumer', 'message_id']).doNothing())
        .returning('message_id')
        .execute();
      const fresh = new Set(rows.map((r) => r.message_id));
      const out: Outcome[] = [];
      const deferred = new Map<string, (trx: Trx) => Promise<void>>();
      const afterBatch = (key: string, work: (trx: Trx) => Promise<void>) => void deferred.set(key, work);
      try {
        for (const { msg, envelope, span, ctx } of items) {
          if (!fresh.delete(envelope.id)) {
            out.push({ msg, span, envelope, kind: 'duplicate' }); // seen before: no second effect
            continue;
          }
          await context.with(ctx, () =>
            this.options.handler(envelope, {
              trx,
              deliveryCount: msg.info.deliveryCount,
              subject: logicalSubject(msg.subject),
              afterBatch,
            }),
          );
          out.push({ msg, span, envelope, kind: 'applied' });
        }
        for (const work of deferred.values()) await work(trx);
      } catch (error) {
        throw new HandlerFailed(error as Error);
      }
      return out;
    });
  }

  private async applyAlone({ msg, envelope, span, ctx }: Decoded): Promise<Outcome> {
    try {
      const kind = await context.with(ctx, () =>
        this.applyOne(envelope, {
          deliveryCount: msg.info.deliveryCount,
          subject: logicalSubject(msg.subject),
        }),
      );
      return { msg, span, envelope, kind };
    } catch (error) {
      // A handler that knows the message can never succeed says so: no retries for it.
      const kind = isTransientError(error)
        ? 'transient'
        : error instanceof PoisonMessageError
          ? 'poison'
          : 'failed';
      return { msg, span, envelope, kind, error: error as Error };
    }
  }

  /** One envelope in a transaction of its own: inbox insert (dedupe), handler, deferred work. */
  private async applyOne(
    envelope: Envelope,
    at: { deliveryCount: number; subject: string },
  ): Promise<'applied' | 'duplicate'> {
    return this.options.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .withSchema(this.options.schema)
        .insertInto('inbox')
        .values({ consumer: this.durable, message_id: envelope.id })
        .onConflict((oc) => oc.columns(['consumer', 'message_id']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return 'duplicate' as const;
      const deferred = new Map<string, (trx: Trx) => Promise<void>>();
      await this.options.handler(envelope, {
        trx,
        deliveryCount: at.deliveryCount,
        subject: at.subject,
        afterBatch: (key, work) => void deferred.set(key, work),
      });
      for (const work of deferred.values()) await work(trx);
      return 'applied' as const;
    });
  }

  /**
   * Applies a message taken from the dead-letter stream (an operator's replay) through the same
   * handler, inbox and transaction rules as a delivery: 'duplicate' when this consumer already
   * applied it (replaying twice changes nothing). Throws what the handler throws; a transient
   * failure is retried here a few times first.
   */
  async replay(envelope: Envelope, subject: string): Promise<ReplayOutcome> {
    return tracer.startActiveSpan(
      `replay ${subject}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'nats',
          'messaging.destination.name': subject,
          'messaging.consumer.group.name': this.durable,
          'messaging.message.id': envelope.id,
        },
      },
      async (span) => {
        try {
          for (let attempt = 0; ; attempt++) {
            try {
              const outcome = await this.applyOne(envelope, { deliveryCount: 0, subject });
              if (outcome === 'applied') this.options.onApplied?.(envelope);
              metrics.consumerProcessed.inc({ consumer: this.durable, outcome: `replay_${outcome}` });
              return outcome;
            } catch (error) {
              if (!isTransientError(error) || attempt >= 4) throw error;
              await new Promise((r) => setTimeout(r, this.transientBackoff(attempt)));
            }
          }
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
          throw error;
        } finally {
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
    for (const [k, v] of Object.entries(injectTraceContext())) h.set(k, v);
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
