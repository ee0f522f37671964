import { VersionConflictError } from '@edgeplane/es-kit';
import { ProbeRecorded, eventually, freshSchema, type TestDatabase } from '@edgeplane/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AggregateHandler, EventStore, type EventPublisher } from '../src/index.js';
import { OutboxRelay } from '../src/relay.js';
import { probeMigrations, probeProjection } from './fixtures/probe-projection.js';

type ProbeTables = {
  proj_probe: { stream_id: string; count: number; last_seq: number; notes: string; last_position: number };
};

const probe = (seq: number, note?: string) => ({
  type: ProbeRecorded.type,
  data: { seq, ...(note ? { note } : {}) },
});

class CollectingPublisher implements EventPublisher {
  published: { subject: string; msgId: string; streamId: string; seq: number }[] = [];
  async publish(subject: string, body: Uint8Array, options: { msgId: string }) {
    const env = JSON.parse(new TextDecoder().decode(body));
    this.published.push({ subject, msgId: options.msgId, streamId: env.streamId, seq: env.data.seq });
  }
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
    const publisher = Object.assign(new CollectingPublisher(), { maxPayload: 1024 * 1024 });
    const relay = new OutboxRelay(store, publisher, { name: 'park', databaseUrl: t.databaseUrl });
    await t.db.withSchema(t.schema).insertInto('relay_checkpoints').values({ name: 'park' }).execute();
    await relay.runOnce(); // what earlier tests wrote
    publisher.published = [];
    const huge = await store.append('probe-huge', 0, [probe(1, 'x'.repeat(1_100_000))]);
    await store.append('probe-after-huge', 0, [probe(1), probe(2)]);
    await relay.runOnce();
    expect(publisher.published.map((p) => p.streamId)).toEqual(['probe-after-huge', 'probe-after-huge']);
    const parked = await t.db.withSchema(t.schema).selectFrom('relay_parked').selectAll().execute();
    expect(parked).toHaveLength(1);
    expect(parked[0]).toMatchObject({ event_id: huge.events[0]!.id, type: ProbeRecorded.type });
    expect(parked[0]!.bytes).toBeGreaterThan(1_100_000);
    expect(parked[0]!.reason).toMatch(/exceed the bus limit of 1048576/);
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
});
