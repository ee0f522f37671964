import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Envelope } from '@edgeplane/contracts';
import { sql } from 'kysely';
import pg from 'pg';
import type { Db } from '@edgeplane/eventstore';
import type { Bus } from '@edgeplane/messaging';
import type { Logger } from '@edgeplane/observability';
import {
  BUS,
  CONFIG,
  DB,
  KEYRING,
  LOGGER,
  SCHEMA,
  SealedSecretSchema,
  type Keyring,
} from '@edgeplane/service-kit';
import type { EventsConfig } from '../config.js';
import { inSchema } from '../db/database.js';
import { Fanout } from '../stream/fanout.js';
import { PositionGoneError, sourceBounds, type SourceMessage } from '../stream/source-reader.js';
import { matches, sourcePlan, type EventFilter } from '../stream/sources.js';
import { CLOCK, type Clock } from '../tokens.js';
import { cloudEvent, SIGNATURE_HEADER, signatureHeader } from './cloudevent.js';
import { HttpsPoster, type PostResult } from './https-post.js';
import {
  activeWebhooks,
  markFailing,
  recordAttempt,
  settle,
  settleBatch,
  type WebhookRow,
} from './webhooks.queries.js';

export const secretContext = (webhookId: string) => `webhooks/${webhookId}/secret`;

export function webhookFilter(w: Pick<WebhookRow, 'types' | 'cluster_id' | 'node' | 'unit'>): EventFilter {
  return { types: w.types, cluster: w.cluster_id, node: w.node, unit: w.unit };
}

interface Worker {
  stop: AbortController;
  done: Promise<void>;
}

/**
 * Webhook delivery. Per webhook and source stream, one loop reads the source from the webhook's
 * cursor (through the fan-out: the shared consumer, or its own while behind) and settles each
 * event in order; the loops of all webhooks run concurrently (their POSTs bounded by
 * WEBHOOK_CONCURRENCY over keep-alive connections): skipped (filter), delivered (a
 * 2xx answer) or parked. A failing delivery is retried with exponential backoff
 * (WEBHOOK_BACKOFF_MS doubling up to WEBHOOK_BACKOFF_MAX_MS) and holds the events behind it in
 * its source, so the receiver sees each source in order; once the webhook has been failing for
 * WEBHOOK_MAX_AGE_MS (24 h) the head delivery is parked (kept with its body, visible in
 * ListDeliveries, sent again by Redeliver) and the next one is tried. The cursor moves only after
 * a delivery is settled: a crash sends the event again (at least once; the id dedupes).
 * Deliveries that failed at least once are recorded; a first-time success only moves the cursor,
 * written in batches (every 500 ms or 1000 deliveries).
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly workers = new Map<string, Worker>();
  private readonly poster: HttpsPoster;
  private poll: NodeJS.Timeout | undefined;
  private stopped = false;
  private lockClient: pg.Client | undefined;

  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(SCHEMA) private readonly schema: string,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(CONFIG) private readonly config: EventsConfig,
    @Inject(KEYRING) private readonly keyring: Keyring,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(Fanout) private readonly fanout: Fanout,
  ) {
    const ca = config.WEBHOOK_CA_FILE ? readFileSync(config.WEBHOOK_CA_FILE, 'utf8') : '';
    this.poster = new HttpsPoster(ca, config.WEBHOOK_TIMEOUT_MS, {
      allowPrivate: config.EVENTS_WEBHOOK_ALLOW_PRIVATE,
      concurrency: config.WEBHOOK_CONCURRENCY,
    });
  }

  private get q() {
    return inSchema(this.db, this.schema);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh().catch((err: Error) =>
      this.logger.warn({ err: err.message }, 'webhooks: load failed'),
    );
    this.poll = setInterval(() => {
      this.refresh().catch((err: Error) =>
        this.logger.warn({ err: err.message }, 'webhooks: refresh failed'),
      );
    }, this.config.WEBHOOK_POLL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.poll) clearInterval(this.poll);
    for (const w of this.workers.values()) w.stop.abort();
    await Promise.allSettled([...this.workers.values()].map((w) => w.done));
    this.workers.clear();
    this.poster.close();
    const client = this.lockClient;
    this.lockClient = undefined;
    await client?.end().catch(() => undefined); // releases the locks
  }

  /**
   * Starts workers for the webhooks this instance owns and stops those of deleted ones. A webhook
   * is delivered by one instance at a time: the one holding its session advisory lock on the
   * dedicated connection; a replica that dies (or loses that connection) releases its locks and
   * the others take its webhooks over at their next refresh (the cursor says where; what its last
   * unwritten batch delivered is sent again).
   */
  async refresh(): Promise<void> {
    if (this.stopped) return;
    const hooks = await activeWebhooks(this.q);
    const live = new Set(hooks.map((h) => h.id));
    for (const id of [...this.workers.keys()]) if (!live.has(id)) await this.release(id);
    for (const hook of hooks) if (!this.workers.has(hook.id)) await this.claim(hook);
  }

  /** Starts the webhook's workers if this instance gets its lock (false: another instance has it). */
  async claim(hook: WebhookRow): Promise<boolean> {
    if (this.stopped || this.workers.has(hook.id)) return this.workers.has(hook.id);
    const client = await this.lockConnection();
    const { rows } = await client.query<{ ok: boolean }>(
      'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok',
      [this.lockKey(hook.id)],
    );
    if (!rows[0]?.ok) return false;
    this.start(hook);
    return true;
  }

  private async release(id: string): Promise<void> {
    this.stopWebhook(id);
    await this.lockClient
      ?.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [this.lockKey(id)])
      .catch(() => undefined);
  }

  private lockKey(id: string): string {
    return `${this.schema}:webhook:${id}`;
  }

  /** The session holding this instance's webhook locks; losing it stops every worker (locks gone). */
  private async lockConnection(): Promise<pg.Client> {
    if (this.lockClient) return this.lockClient;
    const client = new pg.Client({
      connectionString: this.config.DATABASE_URL,
      application_name: 'events-webhooks',
    });
    const lost = (why: string) => {
      if (this.lockClient !== client) return;
      this.lockClient = undefined;
      this.logger.warn({ why }, 'webhooks: lock connection lost; their delivery stops until claimed again');
      for (const id of [...this.workers.keys()]) this.stopWebhook(id);
      void client.end().catch(() => undefined);
    };
    client.on('error', (err) => lost(err.message));
    client.on('end', () => lost('closed'));
    await client.connect();
    this.lockClient = client;
    return client;
  }

  /** DeleteWebhook on this instance: its workers stop now and its lock is given back. */
  stopOwned(id: string): Promise<void> {
    return this.release(id);
  }

  /** Stops a webhook's workers now. */
  private stopWebhook(id: string): void {
    this.workers.get(id)?.stop.abort();
    this.workers.delete(id);
  }

  /** The positions a new webhook starts after: every source's last sequence now. */
  async initialCursors(filter: EventFilter): Promise<{ source: string; seq: number }[]> {
    return Promise.all(
      sourcePlan(filter).map(async ({ source }) => ({
        source: source.name,
        seq: (await sourceBounds(this.bus, source.name)).last,
      })),
    );
  }

  private start(hook: WebhookRow): void {
    if (this.stopped || this.workers.has(hook.id)) return;
    const stop = new AbortController();
    const secret = this.keyring.open(SealedSecretSchema.parse(hook.secret), secretContext(hook.id));
    const filter = webhookFilter(hook);
    const done = Promise.all(
      sourcePlan(filter).map(({ source, filterSubject }) =>
        this.sourceLoop(hook, secret, filter, source.name, filterSubject, stop.signal),
      ),
    ).then(() => undefined);
    this.workers.set(hook.id, { stop, done });
  }

  private async sourceLoop(
    hook: WebhookRow,
    secret: string,
    filter: EventFilter,
    source: string,
    filterSubject: string,
    signal: AbortSignal,
  ): Promise<void> {
    while (!signal.aborted) {
      try {
        const row = await this.q
          .selectFrom('webhook_cursors')
          .select('seq')
          .where('webhook_id', '=', hook.id)
          .where('source', '=', source)
          .executeTakeFirst();
        let after = Number(row?.seq ?? 0);
        if (!row) {
          after = (await sourceBounds(this.bus, source)).last;
          await this.q
            .insertInto('webhook_cursors')
            .values({ webhook_id: hook.id, source, seq: after })
            .onConflict((c) => c.doNothing())
            .execute();
        }
        // settled events are written in batches (every 500 ms or 1000 deliveries): a crash sends
        // at most those again; a parked one is written at once
        const batch = new SettledBatch((seq, delivered) =>
          settleBatch(this.q, hook.id, source, seq, delivered),
        );
        const timer = setInterval(() => {
          batch
            .flush()
            .catch((err: Error) =>
              this.logger.warn(
                { webhook: hook.id, source, err: err.message },
                'webhook: cursor write failed',
              ),
            );
        }, 500);
        // the read ends with this loop (also when a delivery throws while a read is pending)
        const local = new AbortController();
        const readSignal = AbortSignal.any([signal, local.signal]);
        try {
          // through the fan-out: the process's one shared consumer of the source, a queue of
          // this webhook's own (2 MiB); behind it (failing, or a cursor from before), a consumer
          // of its own from the cursor until it catches up
          const messages = this.fanout.read({
            source,
            filterSubject,
            start: { after },
            bytes: 2 << 20,
            match: (e) => matches(e, filter),
            signal: readSignal,
            purpose: 'events-hook',
          });
          for await (const group of deliveryGroups(messages, hook, readSignal)) {
            const outgoing = delivery(group, source, hook.batch_max_events > 0);
            // what is settled before this delivery is written before it is parked
            const outcome = await this.deliver(hook, secret, source, outgoing, signal, () => batch.flush());
            if (outcome === 'aborted') break;
            if (outcome === 'parked') continue;
            batch.note(outgoing.lastSeq, group.length);
            if (batch.delivered >= 1000) await batch.flush();
          }
        } finally {
          local.abort();
          clearInterval(timer);
          await batch.flush().catch(() => undefined);
        }
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof PositionGoneError) {
          // the stream dropped events this webhook never got (retention): said loudly, moved on
          this.logger.error(
            { webhook: hook.id, source, err: error.message },
            'webhook: events expired before delivery',
          );
          await settle(this.q, hook.id, source, error.first - 1, 'skipped').catch(() => undefined);
          continue;
        }
        this.logger.warn(
          { webhook: hook.id, source, err: (error as Error).message },
          'webhook: read failed; retrying',
        );
        await sleep(1000, signal);
      }
    }
  }

  /** Sends one delivery (an event, or a batch) until it is delivered or parked (or the worker stops). */
  private async deliver(
    hook: WebhookRow,
    secret: string,
    source: string,
    d: OutgoingDelivery,
    signal: AbortSignal,
    beforePark: () => Promise<void>,
  ): Promise<'delivered' | 'parked' | 'aborted'> {
    const deliveryId = randomUUID();
    let attempts = 0;
    for (;;) {
      if (signal.aborted) return 'aborted';
      attempts++;
      const result = await this.send(hook, secret, d.body, d.eventIds, attempts, d.batched);
      const now = this.clock.now();
      const record = (
        state: 'RETRYING' | 'DELIVERED' | 'PARKED',
        next: Date | null,
        q: Parameters<typeof recordAttempt>[0] = this.q,
      ) =>
        recordAttempt(q, {
          id: deliveryId,
          webhookId: hook.id,
          eventId: d.eventIds[0]!,
          eventType: d.eventType,
          source,
          seq: d.lastSeq,
          state,
          attempts,
          at: now,
          nextAttemptAt: next,
          lastError: result.error,
          lastStatus: result.status,
          body: d.body,
          eventIds: d.eventIds,
          batched: d.batched,
        });
      if (result.ok) {
        if (attempts > 1) await record('DELIVERED', null);
        return 'delivered';
      }
      const failingSince = await markFailing(this.q, hook.id, now);
      if (now.getTime() - failingSince.getTime() >= this.config.WEBHOOK_MAX_AGE_MS) {
        // parked, counted and passed in one transaction: a list never shows it parked but uncounted
        await beforePark();
        await this.db.transaction().execute(async (trx) => {
          const t = inSchema(trx, this.schema);
          await record('PARKED', null, t);
          await settle(t, hook.id, source, d.lastSeq, 'parked', d.eventIds.length);
        });
        this.logger.warn(
          {
            webhook: hook.id,
            events: d.eventIds.length,
            first: d.eventIds[0],
            attempts,
            error: result.error,
          },
          'webhook delivery parked',
        );
        return 'parked';
      }
      const delay = Math.min(
        this.config.WEBHOOK_BACKOFF_MS * 2 ** Math.min(attempts - 1, 30),
        this.config.WEBHOOK_BACKOFF_MAX_MS,
      );
      await record('RETRYING', new Date(now.getTime() + delay));
      await sleep(delay, signal);
    }
  }

  send(
    hook: Pick<WebhookRow, 'id' | 'url'>,
    secret: string,
    body: string,
    eventIds: readonly string[],
    attempt: number,
    batched: boolean,
  ): Promise<PostResult> {
    const t = Math.floor(this.clock.now().getTime() / 1000);
    return this.poster.post(hook.url, body, {
      'content-type': batched ? BATCH_CONTENT_TYPE : STRUCTURED_CONTENT_TYPE,
      [SIGNATURE_HEADER]: signatureHeader(secret, body, t),
      'edgeplane-webhook-id': hook.id,
      // a batch: its first event's id and how many it carries (the ids are in the body)
      'edgeplane-event-id': eventIds[0]!,
      ...(batched ? { 'edgeplane-event-count': String(eventIds.length) } : {}),
      'edgeplane-delivery-attempt': String(attempt),
      'user-agent': 'edgeplane-webhooks/1',
    });
  }

  /** Redeliver: one attempt of a parked delivery now, its record updated. */
  async redeliver(deliveryId: string): Promise<void> {
    const d = await this.q
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('id', '=', deliveryId)
      .executeTakeFirstOrThrow();
    const hook = await this.q
      .selectFrom('webhooks')
      .selectAll()
      .where('id', '=', d.webhook_id)
      .executeTakeFirstOrThrow();
    const secret = this.keyring.open(SealedSecretSchema.parse(hook.secret), secretContext(hook.id));
    const eventIds = d.event_ids.length > 0 ? d.event_ids : [d.event_id];
    const result = await this.send(hook, secret, d.body, eventIds, d.attempts + 1, d.batched);
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const t = inSchema(trx, this.schema);
      await t
        .updateTable('webhook_deliveries')
        .set({
          state: result.ok ? 'DELIVERED' : 'PARKED',
          attempts: d.attempts + 1,
          last_attempt_at: now,
          last_error: result.error,
          last_status: result.status,
        })
        .where('id', '=', deliveryId)
        .execute();
      if (result.ok)
        await t
          .updateTable('webhooks')
          .set({
            parked: sql`greatest(parked - ${eventIds.length}, 0)`,
            delivered: sql`delivered + ${eventIds.length}`,
          } as never)
          .where('id', '=', hook.id)
          .execute();
    });
  }
}

const bodies = new WeakMap<Envelope, string>();
/** The CloudEvent JSON of an event, made once however many webhooks deliver it (the envelopes are shared). */
function cloudEventBody(envelope: Envelope, source: string, seq: number): string {
  let body = bodies.get(envelope);
  if (body === undefined) {
    body = JSON.stringify(cloudEvent(envelope, source, seq));
    bodies.set(envelope, body);
  }
  return body;
}

export const STRUCTURED_CONTENT_TYPE = 'application/cloudevents+json; charset=utf-8';
export const BATCH_CONTENT_TYPE = 'application/cloudevents-batch+json; charset=utf-8';

type Message = SourceMessage & { envelope: Envelope };

interface OutgoingDelivery {
  body: string;
  eventIds: string[];
  eventType: string;
  lastSeq: number;
  batched: boolean;
}

/**
 * A delivery of a group of messages: one structured CloudEvent, or (batched webhook) a CloudEvents
 * batch — a JSON array of the structured events, in order, signed as one body.
 */
function delivery(group: Message[], source: string, batched: boolean): OutgoingDelivery {
  const bodies = group.map((m) => cloudEventBody(m.envelope, source, m.seq));
  const types = new Set(group.map((m) => m.envelope.type));
  return {
    body: batched ? `[${bodies.join(',')}]` : bodies[0]!,
    eventIds: group.map((m) => m.envelope.id),
    eventType: types.size === 1 ? group[0]!.envelope.type : 'batch',
    lastSeq: group.at(-1)!.seq,
    batched,
  };
}

/**
 * The wanted messages grouped into deliveries: one each, or for a batched webhook up to
 * batch_max_events, taken until that many are waiting or batch_max_wait_ms after the group's
 * first (0: whatever is already waiting). Holds at most one read ahead of the group it yields.
 */
async function* deliveryGroups(
  messages: AsyncGenerator<SourceMessage>,
  hook: Pick<WebhookRow, 'batch_max_events' | 'batch_max_wait_ms'>,
  signal: AbortSignal,
): AsyncGenerator<Message[]> {
  const max = Math.max(1, hook.batch_max_events);
  let pending: Promise<IteratorResult<SourceMessage>> | undefined;
  const next = () => (pending ??= messages.next());
  try {
    for (;;) {
      const first = await next();
      pending = undefined;
      if (first.done) return;
      if (!first.value.envelope) continue;
      const group: Message[] = [first.value as Message];
      const deadline = Date.now() + hook.batch_max_wait_ms;
      let ended = false;
      while (group.length < max && !signal.aborted) {
        const r = await within(next(), deadline - Date.now());
        if (r === undefined) break; // waited long enough: send what there is
        pending = undefined;
        if (r.done) {
          ended = true;
          break;
        }
        if (r.value.envelope) group.push(r.value as Message);
      }
      yield group;
      if (ended) return;
    }
  } finally {
    // the caller aborts `signal` right after this returns, which ends a pending read; the
    // fan-out's reader is closed either way (its lane detached)
    const close = () => void messages.return(undefined).catch(() => undefined);
    if (pending) void pending.then(close, close);
    else close();
  }
}

/** The promise's value if it settles within `ms` (at least one timer turn), else undefined. */
function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => resolve(undefined), Math.max(0, ms));
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e as Error);
      },
    );
  });
}

/** Settled positions of one webhook's source not yet written: the last sequence and how many were delivered. */
class SettledBatch {
  private seq: number | undefined;
  delivered = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly write: (seq: number, delivered: number) => Promise<void>) {}

  note(seq: number, delivered: number): void {
    this.seq = seq;
    this.delivered += delivered;
  }

  /** Writes what is noted (one writer at a time). */
  flush(): Promise<void> {
    this.chain = this.chain
      .catch(() => undefined)
      .then(async () => {
        const seq = this.seq;
        const delivered = this.delivered;
        if (seq === undefined) return;
        this.seq = undefined;
        this.delivered = 0;
        try {
          await this.write(seq, delivered);
        } catch (error) {
          // written again with the next flush
          if (this.seq === undefined) this.seq = seq;
          this.delivered += delivered;
          throw error;
        }
      });
    return this.chain;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
