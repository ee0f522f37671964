import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { catalogue, type Envelope } from '@edgeplane/contracts';
import { extractTraceContext, injectTraceContext, metrics } from '@edgeplane/observability';
import { sql } from 'kysely';
import pg from 'pg';
import { DEFAULT_DATABASE_URL } from './database.js';
import { rowToEvent, type EventStore, type StoredEvent } from './event-store.js';

const tracer = trace.getTracer('@edgeplane/eventstore');
const HEADER_MARGIN = 4096;

/** Where the relay sends events; libs/messaging implements it over JetStream. */
export interface EventPublisher {
  /** Must resolve only once the broker has stored the message (JetStream PubAck). */
  publish(
    subject: string,
    body: Uint8Array,
    options: { msgId: string; headers: Record<string, string> },
  ): Promise<void>;
  /** Largest message the broker takes (body + headers), when known; bigger events are parked. */
  readonly maxPayload?: number;
}

export interface RelayOptions {
  databaseUrl?: string;
  /** checkpoint name; one relay per schema by default */
  name?: string;
  batchSize?: number;
  /** safety poll when no NOTIFY arrives (also picks up events held back by the writer guard) */
  pollIntervalMs?: number;
  /** how often a non-leader retries the leader lock */
  leaderRetryMs?: number;
  onError?: (error: unknown) => void;
  /** told when an event is parked (the service logs it with the event id) */
  onParked?: (event: StoredEvent, reason: string) => void;
}

export function toEnvelope(event: StoredEvent): Envelope {
  return {
    id: event.id,
    type: event.type,
    version: event.version,
    streamId: event.streamId,
    streamPosition: event.streamVersion,
    globalPosition: event.globalPosition,
    occurredAt: event.occurredAt,
    data: event.data,
    metadata: event.metadata,
  };
}

/** Test hook: SIGKILL this process at a named point, to prove crash recovery for real. */
function faultPoint(name: string): void {
  if ((process.env.EDGEPLANE_FAULT ?? '').split(',').includes(name)) process.kill(process.pid, 'SIGKILL');
}

/**
 * The exact outbox guard: the highest position below which no event can still appear, then the
 * committed events after `afterPosition` up to it, in position order.
 *
 * Positions come from a sequence when a row is inserted, long before its transaction commits, so
 * a reader that simply follows positions would skip a slow transaction's lower position. The old
 * guard (`tx_id < pg_snapshot_xmin(pg_current_snapshot())`) waited for every transaction of the
 * whole PostgreSQL instance, including other databases and other services' schemas (88 ms →
 * 10 s of delivery delay behind one idle transaction elsewhere). This one waits only for writers
 * of THIS events table:
 *  - each statement inserting into it first runs a BEFORE STATEMENT trigger that registers its
 *    transaction (once) with a transaction-scoped shared advisory lock whose key is the highest
 *    position drawn so far (so every position it draws is above its key), held until after its
 *    commit is visible;
 *  - `events_safe_position()` reads the highest drawn position H first, then the registered
 *    writers' keys K, and returns min(H, min(K));
 *  - the events are read in a LATER statement (a later snapshot).
 * Why nothing is skipped: take an event at position p ≤ bound that the read does not see. Its
 * writer registered either before the locks were read — then it still held its lock (it had not
 * committed when the read's snapshot was taken, which is later) and p > its key ≥ bound — or
 * after — then it drew p after H was read, so p > H ≥ bound. Either way p > bound: the event
 * can only be one the next passes see. Tested with transactions held open in another database and
 * in another schema (no delay) and with both commit orders of overlapping writers.
 */
export async function readPublishable(
  store: EventStore,
  afterPosition: number,
  limit: number,
): Promise<StoredEvent[]> {
  const safe = await sql<{ p: number | string | null }>`
    SELECT ${sql.id(store.schema, 'events_safe_position')}() AS p`.execute(store.db);
  const bound = Number(safe.rows[0]?.p ?? 0);
  if (bound <= afterPosition) return [];
  const rows = await store.db
    .withSchema(store.schema)
    .selectFrom('events')
    .selectAll()
    .where('global_position', '>', afterPosition)
    .where('global_position', '<=', bound)
    .orderBy('global_position')
    .limit(limit)
    .execute();
  return rows.map(rowToEvent);
}

/** One parked event, as `edgeplane admin outbox parked list` shows it. */
export interface ParkedEvent {
  eventId: string;
  position: number;
  type: string;
  bytes: number;
  reason: string;
  parkedAt: string;
}

/** What replaying one parked event did. */
export interface ParkedReplayResult {
  eventId: string;
  outcome: 'published' | 'still-too-large' | 'not-parked';
  detail: string;
}

/** Parked events of a schema, oldest first. */
export async function listParked(store: EventStore, limit = 1000): Promise<ParkedEvent[]> {
  const rows = await store.db
    .withSchema(store.schema)
    .selectFrom('relay_parked')
    .selectAll()
    .orderBy('global_position')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    eventId: r.event_id,
    position: Number(r.global_position),
    type: r.type,
    bytes: r.bytes,
    reason: r.reason,
    parkedAt: r.parked_at.toISOString(),
  }));
}

/**
 * Replays parked events (all of them when `eventIds` is undefined). Events are immutable, so
 * "replay" means: publish the event as it was recorded if the bus takes it now (the operator
 * raised NATS's max_payload), then un-park it; otherwise leave it parked and say how far over the
 * limit it still is. It arrives after the events that were behind it (consumers apply by id, so
 * a late arrival is applied once; its order relative to later events of its stream is lost).
 * Idempotent: Msg-Id = event id, and a replayed event is no longer parked.
 */
export async function replayParked(
  store: EventStore,
  publisher: EventPublisher,
  eventIds?: readonly string[],
): Promise<ParkedReplayResult[]> {
  const db = store.db.withSchema(store.schema);
  let parked = db.selectFrom('relay_parked').select(['event_id']).orderBy('global_position');
  if (eventIds) parked = parked.where('event_id', 'in', eventIds.length > 0 ? [...eventIds] : ['']);
  const found = new Set((await parked.execute()).map((r) => r.event_id));
  const ids = eventIds ?? [...found];
  const results: ParkedReplayResult[] = [];
  for (const eventId of ids) {
    if (!found.has(eventId)) {
      results.push({
        eventId,
        outcome: 'not-parked',
        detail: 'no parked event has this id (replayed already?)',
      });
      continue;
    }
    const row = await db.selectFrom('events').selectAll().where('event_id', '=', eventId).executeTakeFirst();
    if (!row) {
      results.push({ eventId, outcome: 'not-parked', detail: 'the event is not in the log' });
      continue;
    }
    const event = rowToEvent(row);
    const body = encodeEvent(event);
    const limit = publisher.maxPayload;
    if (tooLarge(body, limit)) {
      results.push({
        eventId,
        outcome: 'still-too-large',
        detail: `${body.byteLength} bytes still exceed the bus limit of ${limit} (less ${HEADER_MARGIN} for headers); raise max_payload on the NATS servers, then replay again`,
      });
      continue;
    }
    await publishEvent(publisher, event, body);
    await db.deleteFrom('relay_parked').where('event_id', '=', eventId).execute();
    metrics.relayPublished.inc({ schema: store.schema });
    results.push({ eventId, outcome: 'published', detail: `${body.byteLength} bytes published` });
  }
  return results;
}

function encodeEvent(event: StoredEvent): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(toEnvelope(event)));
}

// headers (type, trace context) stay well under this margin
function tooLarge(body: Uint8Array, limit: number | undefined): boolean {
  return limit !== undefined && body.byteLength + HEADER_MARGIN > limit;
}

/**
 * Transactional-outbox relay: publishes the service's committed events to JetStream in commit-safe
 * order (`readPublishable`), with Msg-Id = event id (the stream drops re-sends inside its
 * duplicate window; consumers' inboxes drop the rest). Exactly one relay per schema publishes at a
 * time: the leader holds a session advisory lock on a dedicated connection, so a second replica
 * waits as a hot standby and takes over when the leader's connection dies.
 */
export class OutboxRelay {
  private client?: pg.Client;
  private running = false;
  private leader = false;
  private wake?: () => void;
  private loop?: Promise<void>;
  private lagTimer?: NodeJS.Timeout;
  private cursor?: number;
  private readonly name: string;
  private readonly lockKey: string;

  constructor(
    private readonly store: EventStore,
    private readonly publisher: EventPublisher,
    private readonly options: RelayOptions = {},
  ) {
    this.name = options.name ?? 'outbox';
    this.lockKey = `${store.schema}.relay.${this.name}`;
  }

  get isLeader(): boolean {
    return this.leader;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.store.db
      .withSchema(this.store.schema)
      .insertInto('relay_checkpoints')
      .values({ name: this.name })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    this.loop = this.run();
    this.lagTimer = setInterval(() => {
      // Every instance measures from the log and the shared checkpoint: a standby that is asked
      // must not report 0 while the leader is stuck.
      void this.measureLag().catch(() => undefined);
    }, 5000).unref();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.lagTimer) clearInterval(this.lagTimer);
    this.wake?.();
    await this.loop;
    await this.releaseClient();
  }

  private async releaseClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.cursor = undefined;
    if (this.leader) metrics.relayIsLeader.set({ schema: this.store.schema }, 0);
    this.leader = false;
    if (client) await client.end().catch(() => undefined);
  }

  private async acquire(): Promise<boolean> {
    if (!this.client) {
      const client = new pg.Client({
        connectionString: this.options.databaseUrl ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
        application_name: `relay:${this.lockKey}`,
      });
      client.on('error', () => undefined);
      client.on('end', () => {
        if (this.client === client) {
          this.client = undefined;
          this.leader = false;
          this.cursor = undefined;
        }
      });
      client.on('notification', () => this.wake?.());
      await client.connect();
      this.client = client;
    }
    const res = await this.client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [
      this.lockKey,
    ]);
    if (res.rows[0]?.ok) {
      await this.client.query(`LISTEN "${this.store.notifyChannel}"`);
      this.leader = true;
      metrics.relayIsLeader.set({ schema: this.store.schema }, 1);
    }
    return this.leader;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async run(): Promise<void> {
    const poll = this.options.pollIntervalMs ?? 250;
    const retry = this.options.leaderRetryMs ?? 2000;
    while (this.running) {
      try {
        if (!this.leader && !(await this.acquire())) {
          await this.sleep(retry);
          continue;
        }
        const published = await this.runOnce();
        if (published === 0) await this.sleep(poll);
      } catch (error) {
        this.options.onError?.(error);
        await this.releaseClient();
        if (this.running) await this.sleep(Math.min(retry, 1000));
      }
    }
  }

  /** One pass: read a batch after the checkpoint, publish it in order, then move the checkpoint. */
  async runOnce(): Promise<number> {
    const db = this.store.db.withSchema(this.store.schema);
    // The leader is the only writer of its checkpoint: read it once per leadership, then keep it.
    if (this.cursor === undefined) {
      const cp = await db
        .selectFrom('relay_checkpoints')
        .select(['last_position'])
        .where('name', '=', this.name)
        .executeTakeFirstOrThrow();
      this.cursor = Number(cp.last_position);
    }
    const batch = await readPublishable(this.store, this.cursor, this.options.batchSize ?? 500);
    if (batch.length > 0) {
      faultPoint('relay.before-publish');
      // Issued in order on one connection, so the stream stores them in order; awaited together.
      // An event the bus can never take is parked instead, so it cannot block the ones behind it.
      await Promise.all(batch.map((event) => this.publishOrPark(event)));
      faultPoint('relay.after-publish');
      const last = batch[batch.length - 1]!;
      await db
        .updateTable('relay_checkpoints')
        .set({ last_position: last.globalPosition, updated_at: sql`now()` })
        .where('name', '=', this.name)
        .execute();
      this.cursor = last.globalPosition;
      metrics.relayPublished.inc({ schema: this.store.schema }, batch.length);
    }
    return batch.length;
  }

  /** Committed-but-unpublished events and the age of the oldest, for /metrics (every few seconds). */
  async measureLag(): Promise<{ events: number; seconds: number }> {
    const db = this.store.db.withSchema(this.store.schema);
    const cp = await db
      .selectFrom('relay_checkpoints')
      .select(['last_position'])
      .where('name', '=', this.name)
      .executeTakeFirst();
    const res = await sql<{ n: number; oldest: Date | null }>`
      SELECT count(*)::int AS n, min(occurred_at) AS oldest FROM ${sql.id(this.store.schema, 'events')}
      WHERE global_position > ${Number(cp?.last_position ?? 0)}::bigint`.execute(this.store.db);
    const row = res.rows[0];
    const lag = {
      events: Number(row?.n ?? 0),
      seconds: row?.oldest ? Math.max(0, (Date.now() - new Date(row.oldest).getTime()) / 1000) : 0,
    };
    metrics.relayLagEvents.set({ schema: this.store.schema }, lag.events);
    metrics.relayLagSeconds.set({ schema: this.store.schema }, lag.seconds);
    return lag;
  }

  private async publishOrPark(event: StoredEvent): Promise<void> {
    const body = encodeEvent(event);
    const limit = this.publisher.maxPayload;
    if (tooLarge(body, limit)) {
      await this.park(event, body.byteLength, `${body.byteLength} bytes exceed the bus limit of ${limit}`);
      return;
    }
    await publishEvent(this.publisher, event, body);
  }

  private async park(event: StoredEvent, bytes: number, reason: string): Promise<void> {
    await this.store.db
      .withSchema(this.store.schema)
      .insertInto('relay_parked')
      .values({ event_id: event.id, global_position: event.globalPosition, type: event.type, bytes, reason })
      .onConflict((oc) => oc.column('event_id').doNothing())
      .execute();
    metrics.relayParked.inc({ schema: this.store.schema });
    this.options.onParked?.(event, reason);
  }
}

/** Publishes one event with Msg-Id = its id, in a producer span carrying the append's trace. */
async function publishEvent(publisher: EventPublisher, event: StoredEvent, body: Uint8Array): Promise<void> {
  const def = catalogue.get(event.type, event.version);
  const parent = extractTraceContext(event.metadata);
  const span = tracer.startSpan(
    `relay.publish ${def.subject}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'nats',
        'messaging.destination.name': def.subject,
        'messaging.message.id': event.id,
        'eventstore.position': event.globalPosition,
      },
    },
    parent,
  );
  const headers = {
    'Edgeplane-Event-Type': event.type,
    ...injectTraceContext(trace.setSpan(context.active(), span)),
  };
  try {
    await publisher.publish(def.subject, body, { msgId: event.id, headers });
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}
