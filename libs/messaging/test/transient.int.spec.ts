import { STREAMS, busSubject, deadLetterSubject, streamName, type Envelope } from '@edgeplane/contracts';
import { TcpProxy } from '../../service-kit/test/fixtures/tcp-proxy.js';
import { createDatabase, type Db } from '@edgeplane/eventstore';
import {
  TEST_STREAM,
  eventually,
  freshSchema,
  testBus,
  uniqueName,
  type TestDatabase,
} from '@edgeplane/testing';
import { JetStreamApiCodes } from '@nats-io/jetstream';
import pg from 'pg';
import { sql, type ColumnType } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsumerRunner, isApiError, type Bus } from '../src/index.js';

/**
 * Transient infrastructure failures (a lost database connection, a serialization failure) are
 * retried in-process for as long as they last, without spending a delivery, and never reach the
 * dead-letter stream. Real PostgreSQL (backends really terminated) and real JetStream.
 */
type AppliedTables = { applied: { event_id: string; stream_id: string; at: ColumnType<Date, never, never> } };

function envelope(streamId: string, seq: number): Envelope {
  return {
    id: uuidv7(),
    type: 'ProbeRecorded',
    version: 1,
    streamId,
    streamPosition: seq,
    globalPosition: seq,
    occurredAt: new Date().toISOString(),
    data: { seq },
    metadata: {},
  };
}

const serializationFailure = () => Object.assign(new Error('could not serialize access'), { code: '40001' });

describe('consumer runner: transient failures spend no delivery (real NATS JetStream + PostgreSQL)', () => {
  let t: TestDatabase;
  let bus: Bus;
  let admin: pg.Client;
  const runners: ConsumerRunner[] = [];
  const pools: Db[] = [];

  beforeAll(async () => {
    t = await freshSchema('transient', (schema) => ({
      '2026_11_28_1000_applied': {
        async up(db) {
          await sql`CREATE TABLE ${sql.id(schema, 'applied')} (event_id text, stream_id text, at timestamptz DEFAULT now())`.execute(
            db,
          );
        },
        async down() {},
      },
    }));
    bus = await testBus();
    admin = new pg.Client({ connectionString: t.databaseUrl });
    await admin.connect();
  });
  afterAll(async () => {
    await Promise.all(runners.map((r) => r.stop()));
    await Promise.all(pools.map((p) => p.destroy().catch(() => undefined)));
    await admin?.end();
    await bus?.close();
    await t?.drop();
  });

  const applied = async (prefix: string) =>
    (
      await t.db
        .withTables<AppliedTables>()
        .withSchema(t.schema)
        .selectFrom('applied')
        .select(['event_id'])
        .where('stream_id', 'like', `${prefix}%`)
        .execute()
    ).map((r) => r.event_id);

  /** How many messages the consumer's dead-letter subject holds. */
  async function deadLetters(durable: string): Promise<number> {
    try {
      const info = await bus.jsm.streams.info(streamName(STREAMS.DEAD_LETTER.name), {
        subjects_filter: deadLetterSubject(durable),
      });
      return Object.values(info.state.subjects ?? {}).reduce((a, b) => a + b, 0);
    } catch (error) {
      if (isApiError(error, JetStreamApiCodes.StreamNotFound)) return 0;
      throw error;
    }
  }

  /** A runner on its own pool (application_name = durable), recording each message's highest delivery count. */
  async function start(
    durable: string,
    prefix: string,
    hook: (env: Envelope, run: (q: string) => Promise<unknown>) => Promise<void>,
    opts: { ackWaitMs?: number; databaseUrl?: string } = {},
  ) {
    const db = createDatabase({ url: opts.databaseUrl ?? t.databaseUrl, max: 4, applicationName: durable });
    pools.push(db);
    const deliveries = new Map<string, number>();
    const runner = new ConsumerRunner(bus, {
      stream: TEST_STREAM.name,
      durable,
      filterSubject: 'edgeplane.test.>',
      deliverNew: true,
      maxDeliver: 2,
      ackWaitMs: opts.ackWaitMs,
      backoffMs: () => 20,
      transientBackoffMs: (n) => Math.min(400, 50 * 2 ** n),
      db,
      schema: t.schema,
      handler: async (env, { trx, deliveryCount }) => {
        if (!env.streamId.startsWith(prefix)) return;
        deliveries.set(env.id, Math.max(deliveries.get(env.id) ?? 0, deliveryCount));
        await hook(env, (q) => sql.raw(q).execute(trx));
        await trx
          .withTables<AppliedTables>()
          .withSchema(t.schema)
          .insertInto('applied')
          .values({ event_id: env.id, stream_id: env.streamId })
          .execute();
      },
    });
    await runner.start();
    runners.push(runner);
    return { runner, deliveries };
  }

  const publish = async (env: Envelope) =>
    bus.js.publish(
      busSubject('edgeplane.test.probe.recorded'),
      new TextEncoder().encode(JSON.stringify(env)),
      {
        msgID: env.id,
      },
    );

  it('a handler failing with a serialization failure 4 times (budget: 2) is applied once, at its first delivery', async () => {
    const durable = `test__serial-${uniqueName('s').replace(/_/g, '-')}`;
    const prefix = uniqueName('serial');
    const attempts = new Map<string, number>();
    const { deliveries } = await start(durable, prefix, async (env) => {
      const n = (attempts.get(env.id) ?? 0) + 1;
      attempts.set(env.id, n);
      if (n <= 4) throw serializationFailure();
    });
    const env = envelope(`${prefix}-a`, 1);
    await publish(env);
    await eventually(async () => (await applied(prefix)).length === 1, 15_000);
    expect(attempts.get(env.id)).toBe(5); // four transient failures, then success
    expect(deliveries.get(env.id)).toBe(1); // never redelivered: no delivery spent
    await new Promise((r) => setTimeout(r, 300));
    expect(await applied(prefix)).toEqual([env.id]);
    expect(await deadLetters(durable)).toBe(0);
  });

  it('the database connection terminated (pg_terminate_backend) while a handler runs: retried, applied once, nothing dead-lettered', async () => {
    const durable = `test__terminate-${uniqueName('k').replace(/_/g, '-')}`;
    const prefix = uniqueName('terminate');
    let killed = 0;
    const { deliveries } = await start(durable, prefix, async (env, run) => {
      if (env.streamId.endsWith('-slow') && killed === 0) {
        // hold the transaction open while the test kills this consumer's connections
        killed++;
        await run('SELECT pg_sleep(5)');
      }
    });
    const envs = [envelope(`${prefix}-slow`, 1), envelope(`${prefix}-b`, 2), envelope(`${prefix}-c`, 3)];
    for (const e of envs) await publish(e);
    await eventually(async () => {
      const r = await admin.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND query LIKE '%pg_sleep%' AND state = 'active'`,
        [durable],
      );
      return r.rows[0].n > 0;
    }, 10_000);
    const r = await admin.query(
      'SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1) x',
      [durable],
    );
    expect(r.rows[0].n).toBeGreaterThan(0);
    await eventually(async () => (await applied(prefix)).length === 3, 20_000);
    await new Promise((res) => setTimeout(res, 300));
    expect((await applied(prefix)).sort()).toEqual(envs.map((e) => e.id).sort());
    for (const e of envs) expect(deliveries.get(e.id)).toBe(1);
    expect(await deadLetters(durable)).toBe(0);
  });

  it('a database outage longer than the ack wait (PostgreSQL unreachable for 4 s): each message applied once, at its first delivery', async () => {
    const durable = `test__outage-${uniqueName('o').replace(/_/g, '-')}`;
    const prefix = uniqueName('outage');
    // the runner reaches PostgreSQL through a proxy the test cuts: every connection dropped and new
    // ones refused for 4 s (killing backends in a loop instead let a fast transaction slip
    // between two kills on a quiet machine)
    const url = new URL(t.databaseUrl);
    const proxy = new TcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    await proxy.start();
    url.host = proxy.address;
    // ack wait 1.5 s: without the runner extending it while it holds the messages, the server
    // would redeliver them during the outage and spend their budget (max 2)
    const { deliveries } = await start(durable, prefix, async () => undefined, {
      ackWaitMs: 1500,
      databaseUrl: url.toString(),
    });
    try {
      await proxy.cut();
      const envs = Array.from({ length: 20 }, (_, i) => envelope(`${prefix}-${i}`, i + 1));
      for (const e of envs) await publish(e);
      await new Promise((res) => setTimeout(res, 4000));
      expect(await applied(prefix)).toHaveLength(0); // nothing got through the outage
      await proxy.restore();
      await eventually(async () => (await applied(prefix)).length === envs.length, 20_000);
      await new Promise((res) => setTimeout(res, 500));
      const got = await applied(prefix);
      expect(got.sort()).toEqual(envs.map((e) => e.id).sort()); // each exactly once
      for (const e of envs) expect(deliveries.get(e.id)).toBe(1);
      expect(await deadLetters(durable)).toBe(0);
    } finally {
      await proxy.restore();
    }
  }, 40_000);

  it('a real handler error still spends the budget and is dead-lettered', async () => {
    const durable = `test__real-error-${uniqueName('e').replace(/_/g, '-')}`;
    const prefix = uniqueName('realerr');
    const { deliveries } = await start(durable, prefix, async () => {
      throw new Error('no such unit');
    });
    const env = envelope(`${prefix}-a`, 1);
    await publish(env);
    await eventually(async () => (await deadLetters(durable)) === 1, 15_000);
    expect(deliveries.get(env.id)).toBe(2);
    expect(await applied(prefix)).toHaveLength(0);
  });
});
