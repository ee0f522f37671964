/**
 * eventstore-append: events/s appended to the real PostgreSQL event store.
 *  batched — 100 events per append (one transaction), over 100 streams
 *  single  — one event per command (one transaction each), sequential, as a gRPC handler does
 * Each mode runs 3 rounds; the RESULT holds the medians.
 */
import { EventStore } from '@edgeplane/eventstore';
import { ProbeRecorded, freshSchema } from '@edgeplane/testing';
import { median, progress, result, round } from './util.js';

const ROUNDS = 3;
const BATCHED_EVENTS = 20_000;
const BATCH = 100;
const SINGLE_EVENTS = 2_000;

const t = await freshSchema('bench_append');
const store = new EventStore(t.db, t.schema);
const probe = (seq: number) => ({ type: ProbeRecorded.type, data: { seq } });

const batched: number[] = [];
const single: number[] = [];
try {
  for (let round_ = 1; round_ <= ROUNDS; round_++) {
    const versions = new Map<string, number>();
    let start = performance.now();
    for (let i = 0; i < BATCHED_EVENTS / BATCH; i++) {
      const stream = `r${round_}-b${i % 100}`;
      const v = versions.get(stream) ?? 0;
      await store.append(
        stream,
        v,
        Array.from({ length: BATCH }, (_, k) => probe(i * BATCH + k)),
      );
      versions.set(stream, v + BATCH);
    }
    const b = BATCHED_EVENTS / ((performance.now() - start) / 1000);
    batched.push(b);
    progress(
      `round ${round_}: batched ${round(b, 0)} events/s (${BATCHED_EVENTS} events, ${BATCH} per append)`,
    );

    start = performance.now();
    for (let i = 0; i < SINGLE_EVENTS; i++) {
      const stream = `r${round_}-s${i % 100}`;
      const v = versions.get(stream) ?? 0;
      await store.append(stream, v, [probe(i)]);
      versions.set(stream, v + 1);
    }
    const s = SINGLE_EVENTS / ((performance.now() - start) / 1000);
    single.push(s);
    progress(`round ${round_}: single ${round(s, 0)} events/s (${SINGLE_EVENTS} appends of 1 event)`);
  }
} finally {
  await t.drop();
}
result({
  batched_events_per_s: round(median(batched), 0),
  single_events_per_s: round(median(single), 0),
  batch_size: BATCH,
  rounds: ROUNDS,
});
