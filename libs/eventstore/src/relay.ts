import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { catalogue, type Envelope } from '@edgeplane/contracts';
import { extractTraceContext, injectTraceContext, metrics } from '@edgeplane/observability';
import { sql } from 'kysely';
import pg from 'pg';
import { DEFAULT_DATABASE_URL } from './database.js';
import type { EventStore, StoredEvent } from './event-store.js';

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
  /** safety poll when no NOTIFY arrives (also picks up events held back by the xmin guard) */
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
 * Transactional-outbox relay: publishes the service's committed events to JetStream in commit-safe
 * order, with Msg-Id = event id (the stream drops re-sends inside its duplicate window; consumers'
 * inboxes drop the rest). Exactly one relay per schema publishes at a time: the leader holds a
 * session advisory lock on a dedicated connection, so a second replica waits as a hot standby and
 * takes over when the leader's connection dies.
 */
export class OutboxRelay {
  private client?: pg.Client;
  private running = false;
  private leader = false;
  private wake?: () => void;
  private loop?: Promise<void>;
  private lagTimer?: NodeJS.Timeout;
  private cursor?: { txId: number; position: number };
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
    if (!this.cursor) {
      const cp = await db
        .selectFrom('relay_checkpoints')
        .select(['last_tx_id', 'last_position'])
        .where('name', '=', this.name)
        .executeTakeFirstOrThrow();
      this.cursor = { txId: Number(cp.last_tx_id), position: Number(cp.last_position) };
    }
    const batch = await this.store.readAllAfter(this.cursor, this.options.batchSize ?? 500);
    if (batch.length > 0) {
      faultPoint('relay.before-publish');
      // Issued in order on one connection, so the stream stores them in order; awaited together.
      // An event the bus can never take is parked instead, so it cannot block the ones behind it.
      await Promise.all(batch.map((event) => this.publishOrPark(event)));
      faultPoint('relay.after-publish');
      const last = batch[batch.length - 1]!;
      await db
        .updateTable('relay_checkpoints')
        .set({
          last_tx_id: sql`${String(last.txId)}::xid8`,
          last_position: last.globalPosition,
          updated_at: sql`now()`,
        })
        .where('name', '=', this.name)
        .execute();
      this.cursor = { txId: last.txId, position: last.globalPosition };
      metrics.relayPublished.inc({ schema: this.store.schema }, batch.length);
    }
    return batch.length;
  }

  /** Committed-but-unpublished events and the age of the oldest, for /metrics (every few seconds). */
  async measureLag(): Promise<{ events: number; seconds: number }> {
    const db = this.store.db.withSchema(this.store.schema);
    const cp = await db
      .selectFrom('relay_checkpoints')
      .select(['last_tx_id', 'last_position'])
      .where('name', '=', this.name)
      .executeTakeFirst();
    const res = await sql<{ n: number; oldest: Date | null }>`
      SELECT count(*)::int AS n, min(occurred_at) AS oldest FROM ${sql.id(this.store.schema, 'events')}
      WHERE (tx_id, global_position) > (${String(cp?.last_tx_id ?? 0)}::xid8, ${Number(cp?.last_position ?? 0)}::bigint)`.execute(
      this.store.db,
    );
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
    const body = new TextEncoder().encode(JSON.stringify(toEnvelope(event)));
    const limit = this.publisher.maxPayload;
    // headers (type, trace context) stay well under this margin
    if (limit !== undefined && body.byteLength + HEADER_MARGIN > limit) {
      await this.park(event, body.byteLength, `${body.byteLength} bytes exceed the bus limit of ${limit}`);
      return;
    }
    await this.publishOne(event, body);
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

  private async publishOne(event: StoredEvent, body: Uint8Array): Promise<void> {
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
      await this.publisher.publish(def.subject, body, { msgId: event.id, headers });
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  }
}
