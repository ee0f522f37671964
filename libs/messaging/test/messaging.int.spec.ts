import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { STREAMS, busSubject, deadLetterSubject, streamName, type Envelope } from '@edgeplane/contracts';
import {
  TEST_STREAM,
  eventually,
  freshSchema,
  testBus,
  testServices,
  uniqueName,
  type TestDatabase,
} from '@edgeplane/testing';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { sql, type ColumnType } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsumerRunner, JetStreamPublisher, PoisonMessageError, type Bus } from '../src/index.js';

const CHILD = fileURLToPath(new URL('./fixtures/relay-child.ts', import.meta.url));
// this file's EDGEPLANE_ENV (set by the int setup file) applies to what it names on NATS directly
const PROBE_SUBJECT = busSubject('edgeplane.test.probe.recorded');
const DLQ_STREAM = streamName(STREAMS.DEAD_LETTER.name);

type AppliedTables = { applied: { event_id: string; stream_id: string; at: ColumnType<Date, never, never> } };

function runChild(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code, signal) => resolve({ code, signal, out }));
  });
}

function envelope(streamId: string, data: Record<string, unknown>, id = uuidv7()): Envelope {
  return {
    id,
    type: 'ProbeRecorded',
    version: 1,
    streamId,
    streamPosition: 1,
    globalPosition: 1,
    occurredAt: new Date().toISOString(),
    data,
    metadata: {},
  };
}

describe('messaging (real NATS JetStream + PostgreSQL)', () => {
  let t: TestDatabase;
  let bus: Bus;
  const runners: ConsumerRunner[] = [];

  beforeAll(async () => {
    t = await freshSchema('msg', (schema) => ({
      '2026_11_27_1000_applied': {
        async up(db) {
          await sql`CREATE TABLE ${sql.id(schema, 'applied')} (event_id text, stream_id text, at timestamptz DEFAULT now())`.execute(
            db,
          );
        },
        async down() {},
      },
    }));
    bus = await testBus();
  });
  afterAll(async () => {
    await Promise.all(runners.map((r) => r.stop()));
    await bus?.close();
    await t?.drop();
  });

  const deliveries = new Map<string, number>();
  const appliedDb = () => t.db.withTables<AppliedTables>();
  const applied = async (streamId: string) =>
    (
      await appliedDb()
        .withSchema(t.schema)
        .selectFrom('applied')
        .selectAll()
        .where('stream_id', '=', streamId)
        .execute()
    ).length;

  /** Each test's consumer records only the streams of its own test (they all read the shared TEST stream). */
  async function startRecorder(
    durable: string,
    prefix: string,
    opts: { maxDeliver?: number; fail?: (e: Envelope) => boolean; poison?: (e: Envelope) => boolean } = {},
  ) {
    const runner = new ConsumerRunner(bus, {
      stream: TEST_STREAM.name,
      durable,
      filterSubject: 'edgeplane.test.>',
      deliverNew: true,
      maxDeliver: opts.maxDeliver ?? 3,
      backoffMs: () => 20,
      db: t.db,
      schema: t.schema,
      handler: async (env, { trx, deliveryCount }) => {
        if (!env.streamId.startsWith(prefix)) return;
        deliveries.set(env.id, Math.max(deliveries.get(env.id) ?? 0, deliveryCount));
        if (opts.fail?.(env)) throw new Error(`refusing ${env.streamId}: poison pill`);
        if (opts.poison?.(env)) throw new PoisonMessageError(`${env.streamId} can never apply`);
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
    return runner;
  }

  it("the relay's publisher knows the server's payload limit (bigger events are parked, not sent)", () => {
    expect(new JetStreamPublisher(bus).maxPayload).toBe(bus.nc.info?.max_payload);
    expect(new JetStreamPublisher(bus).maxPayload).toBeGreaterThan(0);
  });

  it('a redelivered message changes nothing', async () => {
    await startRecorder(`test__redeliver-${uniqueName('r').replace(/_/g, '-')}`, 'redeliver');
    const streamId = uniqueName('redeliver');
    const env = envelope(streamId, { seq: 1 });
    const body = new TextEncoder().encode(JSON.stringify(env));
    // The same event arrives twice (different Msg-Ids defeat the stream's dedupe, as a re-send
    // after the dedupe window would): the inbox must make the second one a no-op.
    await bus.js.publish(PROBE_SUBJECT, body, { msgID: `${env.id}-a` });
    await bus.js.publish(PROBE_SUBJECT, body, { msgID: `${env.id}-b` });
    await eventually(async () => (await applied(streamId)) >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(await applied(streamId)).toBe(1);
    const inbox = await t.db
      .withSchema(t.schema)
      .selectFrom('inbox')
      .selectAll()
      .where('message_id', '=', env.id)
      .execute();
    expect(inbox).toHaveLength(1);
  });

  it('a failing handler is retried with backoff, and a poison message lands on the dead-letter subject with its error', async () => {
    const durable = `test__poison-${uniqueName('p').replace(/_/g, '-')}`;
    const dlq = deadLetterSubject(durable);
    // watch the dead-letter stream from now on
    await bus.jsm.consumers.add(DLQ_STREAM, {
      durable_name: `${durable}-watch`,
      filter_subject: dlq,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.New,
    });
    await startRecorder(durable, 'poison', { maxDeliver: 3, fail: (e) => e.streamId.startsWith('poison') });
    const poisonId = uniqueName('poison');
    const env = envelope(poisonId, { seq: 1, poison: true });
    await bus.js.publish(PROBE_SUBJECT, new TextEncoder().encode(JSON.stringify(env)), {
      msgID: env.id,
    });
    // and one message that is not even a valid envelope: dead-lettered at once
    const h = natsHeaders();
    h.set('x-test', poisonId);
    await bus.js.publish(PROBE_SUBJECT, new TextEncoder().encode('{"not":"an envelope"}'), {
      msgID: `${poisonId}-garbage`,
      headers: h,
    });
    const watcher = await bus.js.consumers.get(DLQ_STREAM, `${durable}-watch`);
    const got: { error: string; data: string; deliveries: string }[] = [];
    await eventually(async () => {
      const batch = await watcher.fetch({ max_messages: 10, expires: 1000 });
      for await (const m of batch) {
        got.push({
          error: m.headers?.get('Edgeplane-Error') ?? '',
          data: m.string(),
          deliveries: m.headers?.get('Edgeplane-Delivery-Count') ?? '',
        });
        m.ack();
      }
      return got.length >= 2;
    }, 15_000);
    const poison = got.find((g) => g.data.includes(poisonId))!;
    expect(poison.error).toContain('poison pill');
    expect(poison.deliveries).toBe('3');
    expect(deliveries.get(env.id)).toBe(3); // retried up to maxDeliver, then given up
    const garbage = got.find((g) => g.data.includes('not'))!;
    expect(garbage.error).toMatch(/undecodable message/);
    expect(await applied(poisonId)).toBe(0);
  });

  it('a handler that throws PoisonMessageError is dead-lettered at its first delivery, without retries', async () => {
    const durable = `test__known-poison-${uniqueName('p').replace(/_/g, '-')}`;
    await bus.jsm.consumers.add(DLQ_STREAM, {
      durable_name: `${durable}-watch`,
      filter_subject: deadLetterSubject(durable),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.New,
    });
    await startRecorder(durable, 'known-poison', { maxDeliver: 5, poison: () => true });
    const env = envelope(uniqueName('known-poison'), { seq: 1 });
    await bus.js.publish(PROBE_SUBJECT, new TextEncoder().encode(JSON.stringify(env)), {
      msgID: env.id,
    });
    const watcher = await bus.js.consumers.get(DLQ_STREAM, `${durable}-watch`);
    let dead: { error: string; deliveries: string } | undefined;
    await eventually(async () => {
      for await (const m of await watcher.fetch({ max_messages: 10, expires: 1000 })) {
        if (m.string().includes(env.id))
          dead = {
            error: m.headers?.get('Edgeplane-Error') ?? '',
            deliveries: m.headers?.get('Edgeplane-Delivery-Count') ?? '',
          };
        m.ack();
      }
      return dead;
    }, 15_000);
    expect(dead!.error).toContain('can never apply');
    expect(dead!.deliveries).toBe('1');
    expect(deliveries.get(env.id)).toBe(1);
    expect(await applied(env.streamId)).toBe(0);
  });

  it('a process SIGKILLed after commit and before publish publishes after restart; the consumer applies once', async () => {
    const { natsUrl, databaseUrl } = await testServices();
    await startRecorder(`test__crash-${uniqueName('c').replace(/_/g, '-')}`, 'crash');
    const env = { DATABASE_URL: databaseUrl, NATS_URL: natsUrl };

    const streamBefore = uniqueName('crash-before');
    const killed = await runChild([t.schema, streamBefore], {
      ...env,
      EDGEPLANE_FAULT: 'relay.before-publish',
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.out).toContain('committed');
    // committed, never published
    await new Promise((r) => setTimeout(r, 300));
    expect(await applied(streamBefore)).toBe(0);

    const restarted = await runChild([t.schema, streamBefore, '--no-append'], env);
    expect(restarted.out).toContain('drained');
    await eventually(async () => (await applied(streamBefore)) === 1);

    // killed after publish, before the checkpoint moved: the restart re-sends, the consumer applies once
    const streamAfter = uniqueName('crash-after');
    const killed2 = await runChild([t.schema, streamAfter], {
      ...env,
      EDGEPLANE_FAULT: 'relay.after-publish',
    });
    expect(killed2.signal).toBe('SIGKILL');
    await eventually(async () => (await applied(streamAfter)) === 1);
    const again = await runChild([t.schema, streamAfter, '--no-append'], env);
    expect(again.out).toContain('drained');
    await new Promise((r) => setTimeout(r, 500));
    expect(await applied(streamAfter)).toBe(1);
    expect(await applied(streamBefore)).toBe(1);
  }, 180_000); // four child processes, each starting tsx: over a minute on a loaded machine
});
