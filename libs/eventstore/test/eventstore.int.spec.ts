import { VersionConflictError } from '@edgeplane/es-kit';
import { ProbeRecorded, eventually, freshSchema, type TestDatabase } from '@edgeplane/testing';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AggregateHandler, EventStore, type EventPublisher } from '../src/index.js';
import { OutboxRelay, listParked, replayParked } from '../src/relay.js';
import { probeMigrations, probeProjection } from './fixtures/probe-projection.js';

type ProbeTables = {
  proj_probe: { stream_id: string; count: number; last_seq: number; notes: string; last_position: number };
};

const probe = (seq: number, note?: string) => ({
  type: ProbeRecorded.type,
  data: { seq, ...(note ? { note } : {}) },
});

class CollectingPublisher implements EventPublisher {
  published: { subject: string; msgId: string; streamId: string; seq: number; at: number }[] = [];
  async publish(subject: string, body: Uint8Array, options: { msgId: string }) {
    const env = JSON.parse(new TextDecoder().decode(body));
    this.published.push({
      subject,
      msgId: options.msgId,
      streamId: env.streamId,
      seq: env.data.seq,
      at: Date.now(),
    });
  }
}

/** A client holding a transaction open with a transaction id (what pins the instance's xmin). */
async function openTransaction(
  connectionString: string,
  statement: string,
): Promise<pg.Client & { pid: number }> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  const pid = Number((await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid);
  await client.query('BEGIN');
  await client.query(statement);
  const xid = await client.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid');
  expect(Number(xid.rows[0]!.xid)).toBeGreaterThan(0);
  return Object.assign(client, { pid });
}

describe('event store (real PostgreSQL)', () => {
  let t: TestDatabase;
  const probeDb = () => t.db.withTables<ProbeTables>();
  let store: EventStore;

  beforeAll(async () => {
    t = await freshSchema('es', probeMigrations);
  });
  afterAll(async () => t?.drop());

  it('appends with an expected version and reads the stream back in order', async () => {
    store = new EventStore(t.db, t.schema);
    const r1 = await store.append('probe-a', 0, [probe(1), probe(2)]);
    expect(r1.streamVersion).toBe(2);
    const r2 = await store.append('probe-a', 2, [probe(3)]);
    expect(r2.streamVersion).toBe(3);
    const events = await store.readStream('probe-a');
    expect(events.map((e) => [e.streamVersion, (e.data as { seq: number }).seq])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
  });

  it('refuses an event that breaks its catalogue schema and stores nothing', async () => {
    store = new EventStore(t.db, t.schema);
    await expect(
      store.append('probe-bad', 0, [{ type: 'ProbeRecorded', data: { seq: -1 } }]),
    ).rejects.toThrow(/ProbeRecorded failed validation: seq/);
    await expect(store.append('probe-bad', 0, [{ type: 'NoSuchEvent', data: {} }])).rejects.toThrow(
      /not in the catalogue/,
    );
    expect(await store.readStream('probe-bad')).toEqual([]);
  });

  it('a concurrent append with a stale version fails with the typed conflict and stores nothing', async () => {
    store = new EventStore(t.db, t.schema);
    await store.append('probe-c', 0, [probe(1)]);
    // Two writers both read version 1 and race; exactly one wins.
    const results = await Promise.allSettled([
      store.append('probe-c', 1, [probe(2, 'w1')]),
      store.append('probe-c', 1, [probe(2, 'w2')]),
    ]);
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed).toHaveLength(1);
    const reason = (failed[0] as PromiseRejectedResult).reason;
    expect(reason).toBeInstanceOf(VersionConflictError);
    expect(reason.streamId).toBe('probe-c');
    expect(await store.streamVersion('probe-c')).toBe(2);
    // A version the stream never reached is a conflict too, not a gap.
    await expect(store.append('probe-c', 7, [probe(9)])).rejects.toBeInstanceOf(VersionConflictError);
    expect(await store.streamVersion('probe-c')).toBe(2);
  });

  it('appendMany writes many streams in one statement, all or nothing', async () => {
    store = new EventStore(t.db, t.schema).useProjections(probeProjection(t.schema));
    await store.append('probe-m1', 0, [probe(1)]);
    const stored = await store.appendMany([
      { streamId: 'probe-m1', expectedVersion: 1, events: [probe(2), probe(3)] },
      { streamId: 'probe-m2', expectedVersion: 0, events: [probe(1)] },
    ]);
    expect(stored.map((e) => [e.streamId, e.streamVersion])).toEqual([
      ['probe-m1', 2],
      ['probe-m1', 3],
      ['probe-m2', 1],
    ]);
    const proj = await probeDb()
      .withSchema(t.schema)
      .selectFrom('proj_probe')
      .selectAll()
      .where('stream_id', 'in', ['probe-m1', 'probe-m2'])
      .orderBy('stream_id')
      .execute();
    expect(proj.map((r) => [r.stream_id, r.count])).toEqual([
      ['probe-m1', 3],
      ['probe-m2', 1],
    ]);
    // one stale stream voids the whole batch
    await expect(
      store.appendMany([
        { streamId: 'probe-m2', expectedVersion: 1, events: [probe(2)] },
        { streamId: 'probe-m1', expectedVersion: 1, events: [probe(9)] },
      ]),
    ).rejects.toMatchObject({ streamId: 'probe-m1' });
    expect(await store.streamVersion('probe-m2')).toBe(1);
    expect(await store.streamVersion('probe-m1')).toBe(3);
  });

  it('the aggregate handler retries a lost race on fresh state', async () => {
    store = new EventStore(t.db, t.schema);
    const decider = {
      initialState: 0,
      evolve: (s: number) => s + 1,
      decide: (_c: unknown, s: number) => [probe(s + 1)],
    };
    const handler = new AggregateHandler(store, decider, 5); // five racers: the last one can lose four times
    await Promise.all(Array.from({ length: 5 }, () => handler.handle('probe-h', {})));
    const seqs = (await store.readStream('probe-h')).map((e) => (e.data as { seq: number }).seq);
    expect(seqs).toEqual([1, 2, 3, 4, 5]);
  });

  it('the relay never skips an event committed by a slower, overlapping transaction', async () => {
    store = new EventStore(t.db, t.schema);
    const publisher = new CollectingPublisher();
    const relay = new OutboxRelay(store, publisher, { name: 'overlap', databaseUrl: t.databaseUrl });
    await t.db.withSchema(t.schema).insertInto('relay_checkpoints').values({ name: 'overlap' }).execute();
    await relay.runOnce(); // drain what earlier tests wrote
    publisher.published = [];

    // slow: takes the lower position first, commits last.
    const slow = await t.db.startTransaction().execute();
    await store.append('probe-slow', 0, [probe(1)], { trx: slow });
    // fast: takes a higher position, commits first.
    await store.append('probe-fast', 0, [probe(1)]);
    const [slowPos, fastPos] = await Promise.all([
      slow
        .withSchema(t.schema)
        .selectFrom('events')
        .select('global_position')
        .where('stream_id', '=', 'probe-slow')
        .executeTakeFirstOrThrow(),
      t.db
        .withSchema(t.schema)
        .selectFrom('events')
        .select('global_position')
        .where('stream_id', '=', 'probe-fast')
        .executeTakeFirstOrThrow(),
    ]);
    expect(Number(slowPos.global_position)).toBeLessThan(Number(fastPos.global_position));

    await relay.runOnce(); // while slow is open: the fast event must wait, not jump ahead
    expect(publisher.published.map((p) => p.streamId)).not.toContain('probe-slow');

    await slow.commit().execute();
    await relay.runOnce();
    await relay.runOnce();
    const ids = publisher.published.map((p) => p.streamId);
    expect(ids).toContain('probe-slow');
    expect(ids).toContain('probe-fast');
    expect(ids.filter((i) => i === 'probe-fast')).toHaveLength(1);
  });

  it('reports its lag: committed events not yet published and the age of the oldest', async () => {
    store = new EventStore(t.db, t.schema);
    const publisher = new CollectingPublisher();
    const relay = new OutboxRelay(store, publisher, { name: 'lag', databaseUrl: t.databaseUrl });
    await t.db.withSchema(t.schema).insertInto('relay_checkpoints').values({ name: 'lag' }).execute();
    await relay.runOnce();
    expect((await relay.measureLag()).events).toBe(0);
    await store.append('probe-lag', 0, [probe(1), probe(2), probe(3)]);
    const lag = await relay.measureLag();
    expect(lag.events).toBe(3);
    expect(lag.seconds).toBeGreaterThanOrEqual(0);
    await relay.runOnce();
    expect((await relay.measureLag()).events).toBe(0);
  });

  it('an event larger than the bus takes is parked with its reason and never blocks the events behind it', async () => {
    store = new EventStore(t.db, t.schema);
    // a bus that takes 64 KiB (an event of 100 KB passes the append's own size limit)
    const publisher = Object.assign(new CollectingPublisher(), { maxPayload: 64 * 1024 });
    const relay = new OutboxRelay(store, publisher, { name: 'park', databaseUrl: t.databaseUrl });
    await t.db.withSchema(t.schema).insertInto('relay_checkpoints').values({ name: 'park' }).execute();
    await relay.runOnce(); // what earlier tests wrote
    publisher.published = [];
    const huge = await store.append('probe-huge', 0, [probe(1, 'x'.repeat(100_000))]);
    await store.append('probe-after-huge', 0, [probe(1), probe(2)]);
    await relay.runOnce();
    expect(publisher.published.map((p) => p.streamId)).toEqual(['probe-after-huge', 'probe-after-huge']);
    const parked = await t.db.withSchema(t.schema).selectFrom('relay_parked').selectAll().execute();
    expect(parked).toHaveLength(1);
    expect(parked[0]).toMatchObject({ event_id: huge.events[0]!.id, type: ProbeRecorded.type });
    expect(parked[0]!.bytes).toBeGreaterThan(100_000);
    expect(parked[0]!.reason).toMatch(/exceed the bus limit of 65536/);
    await relay.runOnce(); // nothing is re-sent, nothing parked twice
    expect(publisher.published).toHaveLength(2);
    expect(await t.db.withSchema(t.schema).selectFrom('relay_parked').selectAll().execute()).toHaveLength(1);
  });

  it('the relay also handles the inverted case: the later writer holds the older transaction id', async () => {
    store = new EventStore(t.db, t.schema);
    const publisher = new CollectingPublisher();
    const relay = new OutboxRelay(store, publisher, { name: 'inverted', databaseUrl: t.databaseUrl });
    await t.db.withSchema(t.schema).insertInto('relay_checkpoints').values({ name: 'inverted' }).execute();
    await relay.runOnce();
    publisher.published = [];

    const early = await t.db.startTransaction().execute();
    await sql`SELECT pg_current_xact_id()`.execute(early); // takes its xid now
    const late = await t.db.startTransaction().execute();
    await store.append('probe-late', 0, [probe(1)], { trx: late }); // lower position, newer xid
    await store.append('probe-early', 0, [probe(1)], { trx: early }); // higher position, older xid
    await early.commit().execute();
    await relay.runOnce();
    await late.commit().execute();
    await relay.runOnce();
    await relay.runOnce();
    const ids = publisher.published.map((p) => p.streamId);
    expect(ids).toContain('probe-early');
    expect(ids).toContain('probe-late');
  });

  it('one relay per schema publishes: a second waits as standby and takes over when the leader stops', async () => {
    store = new EventStore(t.db, t.schema);
    const a = new CollectingPublisher();
    const b = new CollectingPublisher();
    const opts = { name: 'ha', databaseUrl: t.databaseUrl, pollIntervalMs: 20, leaderRetryMs: 100 };
    const first = new OutboxRelay(store, a, opts);
    const second = new OutboxRelay(store, b, opts);
    await first.start();
    await eventually(() => first.isLeader, 5000, 20);
    await second.start();
    await store.append('probe-ha-1', 0, [probe(1)]);
    await eventually(() => a.published.some((p) => p.streamId === 'probe-ha-1'), 5000, 20);
    await new Promise((r) => setTimeout(r, 300));
    expect(second.isLeader).toBe(false);
    expect(b.published.some((p) => p.streamId === 'probe-ha-1')).toBe(false);

    await first.stop(); // the leader's session ends: its advisory lock is released
    await store.append('probe-ha-2', 0, [probe(1)]);
    await eventually(() => b.published.some((p) => p.streamId === 'probe-ha-2'), 5000, 20);
    expect(second.isLeader).toBe(true);
    // the standby resumed from the shared checkpoint: nothing the leader published is re-sent
    expect(b.published.some((p) => p.streamId === 'probe-ha-1')).toBe(false);
    await second.stop();
  });

  it('a projection rebuilt from position 0 equals the live one, and replaying twice changes nothing', async () => {
    store = new EventStore(t.db, t.schema).useProjections(probeProjection(t.schema));
    for (let s = 0; s < 20; s++) {
      await store.append(`probe-p${s % 4}`, 'any', [probe(s, `n${s};`)]);
    }
    const read = () =>
      probeDb()
        .withSchema(t.schema)
        .selectFrom('proj_probe')
        .selectAll()
        .where('stream_id', 'like', 'probe-p%')
        .orderBy('stream_id')
        .execute();
    const live = await read();
    expect(live).toHaveLength(4);
    expect(live.map((r) => r.count)).toEqual([5, 5, 5, 5]);
    await store.rebuildProjections();
    const rebuilt = await read();
    expect(rebuilt).toEqual(live);
    await store.rebuildProjections();
    expect(await read()).toEqual(live);
  });
  it('a rebuild replays each stream in version order even when a later version holds an older transaction id', async () => {
    store = new EventStore(t.db, t.schema).useProjections(probeProjection(t.schema));
    // a consumer's transaction takes its transaction id at its first write (its inbox row)…
    const consumer = await t.db.startTransaction().execute();
    await sql`SELECT pg_current_xact_id()`.execute(consumer);
    // …a command appends v1 and commits meanwhile, then the consumer appends v2 on top of it
    await store.append('probe-inv', 0, [probe(1, 'a;')]);
    await store.append('probe-inv', 1, [probe(2, 'b;')], { trx: consumer });
    await consumer.commit().execute();
    const [v1, v2] = await store.readStream('probe-inv');
    expect(v2!.txId).toBeLessThan(v1!.txId); // the inversion this test is about
    expect(v2!.globalPosition).toBeGreaterThan(v1!.globalPosition);

    const read = () =>
      probeDb()
        .withSchema(t.schema)
        .selectFrom('proj_probe')
        .selectAll()
        .where('stream_id', '=', 'probe-inv')
        .execute();
    const live = await read();
    expect(live).toMatchObject([{ count: 2, last_seq: 2, notes: 'a;b;' }]);
    expect(
      (await store.readAllAfter(0, 100_000))
        .filter((e) => e.streamId === 'probe-inv')
        .map((e) => e.streamVersion),
    ).toEqual([1, 2]);
    await store.rebuildProjections();
    expect(await read()).toEqual(live);
  });

  it('the relay is not held back by a transaction left open in ANOTHER DATABASE of the instance', async () => {
    store = new EventStore(t.db, t.schema);
    const otherDb = `t_guard_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
    await sql`CREATE DATABASE ${sql.id(otherDb)}`.execute(t.db);
    const otherUrl = t.databaseUrl.replace(/\/[^/?]+(\?.*)?$/, `/${otherDb}$1`);
    const held = await openTransaction(otherUrl, 'CREATE TABLE stuck (x int)');
    const publisher = new CollectingPublisher();
    const relay = new OutboxRelay(store, publisher, { name: 'other-db', databaseUrl: t.databaseUrl });
    try {
      // the instance-wide guard cannot pass the open transaction: proof that it really pins xmin
      const [{ pinned }] = (
        await sql<{ pinned: boolean }>`
          SELECT pg_snapshot_xmin(pg_current_snapshot()) <= (SELECT backend_xid::text::xid8 FROM pg_stat_activity WHERE pid = ${held.pid}) AS pinned`.execute(
          t.db,
        )
      ).rows as [{ pinned: boolean }];
      expect(pinned).toBe(true);
      await relay.start();
      const latencies: number[] = [];
      for (let i = 0; i < 5; i++) {
        const streamId = `probe-other-db-${i}`;
        const started = Date.now();
        await store.append(streamId, 0, [probe(1)]);
        await eventually(() => publisher.published.some((p) => p.streamId === streamId), 5000, 5);
        latencies.push(publisher.published.find((p) => p.streamId === streamId)!.at - started);
      }
      // NOTIFY wakes the relay at commit: delivery stays well under a second (it was never delivered
      // at all with the instance-wide guard while the other database's transaction stayed open)
      expect(Math.max(...latencies)).toBeLessThan(1000);
    } finally {
      await relay.stop();
      await held.query('ROLLBACK').catch(() => undefined);
      await held.end();
      await sql`DROP DATABASE IF EXISTS ${sql.id(otherDb)}`.execute(t.db);
    }
  });

  it('nor by a transaction left open in ANOTHER SCHEMA of the same database, even one appending to its own event log', async () => {
    store = new EventStore(t.db, t.schema);
    const other = await freshSchema('es_other');
    const held = await openTransaction(
      other.databaseUrl,
      `INSERT INTO "${other.schema}".events (event_id, stream_id, stream_version, type, data)
         VALUES (gen_random_uuid(), 'other-open', 1, 'ProbeRecorded', '{"seq":1}')`,
    );
    const publisher = new CollectingPublisher();
    const relay = new OutboxRelay(store, publisher, { name: 'other-schema', databaseUrl: t.databaseUrl });
    try {
      await relay.start();
      const started = Date.now();
      await store.append('probe-other-schema', 0, [probe(1)]);
      await eventually(() => publisher.published.some((p) => p.streamId === 'probe-other-schema'), 5000, 5);
      expect(publisher.published.find((p) => p.streamId === 'probe-other-schema')!.at - started).toBeLessThan(
        1000,
      );
      // the other schema's relay, on the other hand, must wait for its open writer
      const otherStore = new EventStore(other.db, other.schema);
      const otherPublisher = new CollectingPublisher();
      const otherRelay = new OutboxRelay(otherStore, otherPublisher, { databaseUrl: other.databaseUrl });
      await other.db
        .withSchema(other.schema)
        .insertInto('relay_checkpoints')
        .values({ name: 'outbox' })
        .execute();
      await otherStore.append('other-after', 0, [probe(1)]);
      await otherRelay.runOnce();
      expect(otherPublisher.published).toEqual([]);
      await held.query('COMMIT');
      await otherRelay.runOnce();
      expect(otherPublisher.published.map((p) => p.streamId)).toEqual(['other-open', 'other-after']);
    } finally {
      await relay.stop();
      await held.query('ROLLBACK').catch(() => undefined);
      await held.end();
      await other.drop();
    }
  });

  it('a writer of THIS log holds back only the positions after its own; many overlapping writers lose nothing', async () => {
    store = new EventStore(t.db, t.schema);
    const publisher = new CollectingPublisher();
    const relay = new OutboxRelay(store, publisher, { name: 'overlap-many', databaseUrl: t.databaseUrl });
    await t.db
      .withSchema(t.schema)
      .insertInto('relay_checkpoints')
      .values({ name: 'overlap-many' })
      .execute();
    await relay.runOnce();
    await relay.runOnce();
    publisher.published = [];
    const before = await store.append('probe-many-before', 0, [probe(1)]);
    const slow = await t.db.startTransaction().execute();
    await store.append('probe-many-slow', 0, [probe(1)], { trx: slow });
    await relay.runOnce();
    // what committed before the slow writer registered is published; the slow one's is not
    expect(publisher.published.map((p) => p.streamId)).toEqual(['probe-many-before']);
    expect(before.events).toHaveLength(1);
    // 40 concurrent writers, some in multi-statement transactions, while the relay keeps reading
    let reading = true;
    const reader = (async () => {
      while (reading) await relay.runOnce();
    })();
    await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        if (i % 3 === 0) {
          await t.db.transaction().execute(async (trx) => {
            await store.append(`probe-many-${i}`, 0, [probe(1)], { trx });
            await sql`SELECT pg_sleep(${(i % 5) * 0.01})`.execute(trx);
            await store.append(`probe-many-${i}`, 1, [probe(2)], { trx });
          });
        } else {
          await store.append(`probe-many-${i}`, 0, [probe(1), probe(2)]);
        }
      }),
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(publisher.published.some((p) => p.streamId === 'probe-many-slow')).toBe(false);
    expect(publisher.published.filter((p) => p.streamId.match(/^probe-many-\d+$/))).toHaveLength(0);
    await slow.commit().execute();
    await eventually(() => publisher.published.length >= 1 + 1 + 80, 5000, 10);
    reading = false;
    await reader;
    const ids = publisher.published.map((p) => `${p.streamId}#${p.seq}`);
    expect(new Set(ids).size).toBe(ids.length); // nothing twice
    expect(ids).toHaveLength(82); // nothing lost
    // published in position order: each stream's events in their order
    for (let i = 0; i < 40; i++) {
      expect(ids.indexOf(`probe-many-${i}#1`)).toBeLessThan(ids.indexOf(`probe-many-${i}#2`));
    }
  });

  it('a parked event is replayed once the bus takes it, and said to be still too large otherwise', async () => {
    store = new EventStore(t.db, t.schema);
    const small = Object.assign(new CollectingPublisher(), { maxPayload: 64 * 1024 });
    const relay = new OutboxRelay(store, small, { name: 'park-replay', databaseUrl: t.databaseUrl });
    await t.db.withSchema(t.schema).insertInto('relay_checkpoints').values({ name: 'park-replay' }).execute();
    await relay.runOnce();
    await relay.runOnce();
    const huge = await store.append('probe-park-replay', 0, [probe(1, 'y'.repeat(100_000))]);
    const hugeId = huge.events[0]!.id;
    await relay.runOnce();
    expect((await listParked(store)).map((p) => p.eventId)).toContain(hugeId);

    const still = await replayParked(store, small, [hugeId]);
    expect(still).toEqual([
      expect.objectContaining({
        eventId: hugeId,
        outcome: 'still-too-large',
        detail: expect.stringMatching(/raise max_payload/),
      }),
    ]);
    expect((await listParked(store)).map((p) => p.eventId)).toContain(hugeId);

    const raised = Object.assign(new CollectingPublisher(), { maxPayload: 1024 * 1024 });
    const done = await replayParked(store, raised, [hugeId]);
    expect(done).toEqual([expect.objectContaining({ eventId: hugeId, outcome: 'published' })]);
    expect(raised.published).toEqual([
      expect.objectContaining({ msgId: hugeId, streamId: 'probe-park-replay' }),
    ]);
    expect((await listParked(store)).map((p) => p.eventId)).not.toContain(hugeId);
    // replaying again is harmless: nothing published twice
    const again = await replayParked(store, raised, [hugeId]);
    expect(again).toEqual([expect.objectContaining({ eventId: hugeId, outcome: 'not-parked' })]);
    expect(raised.published).toHaveLength(1);
  });
});
