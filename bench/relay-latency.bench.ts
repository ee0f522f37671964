/**
 * relay-latency: end-to-end latency append → outbox relay → JetStream → durable consumer applied
 * (its transaction committed, message acked), at a steady offered rate (default 1,000 events/s,
 * one event per append, as commands produce them). Warm-up 2 s, then MEASURE_S seconds measured.
 * Env: RATE (events/s), MEASURE_S.
 */
import { durableName, streamName } from '@edgeplane/contracts';
import { EventStore, OutboxRelay } from '@edgeplane/eventstore';
import { ConsumerRunner, JetStreamPublisher } from '@edgeplane/messaging';
import { ProbeRecorded, TEST_STREAM, freshSchema, testBus, uniqueName } from '@edgeplane/testing';
import { percentile, progress, result, round } from './util.js';

const RATE = Number(process.env.RATE ?? 1000);
const WARMUP_S = 2;
const MEASURE_S = Number(process.env.MEASURE_S ?? 10);

const t = await freshSchema('bench_relay');
const bus = await testBus();
const store = new EventStore(t.db, t.schema);
const relay = new OutboxRelay(store, new JetStreamPublisher(bus), {
  databaseUrl: t.databaseUrl,
  pollIntervalMs: 250,
});
const run = uniqueName('relay').replace(/_/g, '-');
const sentAt = new Map<string, number>();
const latencies: number[] = [];
let measuring = false;
let applied = 0;

const consumer = new ConsumerRunner(bus, {
  stream: TEST_STREAM.name,
  durable: `bench__${run}`,
  filterSubject: 'edgeplane.test.>',
  deliverNew: true,
  db: t.db,
  schema: t.schema,
  handler: async () => undefined, // the inbox row is the applied effect
  onApplied: (env) => {
    const t0 = sentAt.get(env.streamId + ':' + (env.data as { seq: number }).seq);
    if (t0 === undefined) return;
    applied++;
    if (measuring) latencies.push(performance.now() - t0);
  },
});

try {
  await relay.start();
  await consumer.start();
  progress(`offering ${RATE} events/s: ${WARMUP_S}s warm-up, ${MEASURE_S}s measured`);
  const total = RATE * (WARMUP_S + MEASURE_S);
  const begin = performance.now();
  const inflight = new Set<Promise<unknown>>();
  let lastReport = begin;
  for (let i = 0; i < total; i++) {
    const due = begin + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    if (i === RATE * WARMUP_S) measuring = true;
    const stream = `${run}-s${i % 200}`;
    const seq = Math.floor(i / 200);
    sentAt.set(`${stream}:${seq}`, performance.now());
    const p = store
      .append(stream, 'any', [{ type: ProbeRecorded.type, data: { seq } }])
      .finally(() => inflight.delete(p));
    inflight.add(p);
    if (performance.now() - lastReport > 1000) {
      lastReport = performance.now();
      progress(`offered ${i + 1}/${total}, applied ${applied}, in flight ${inflight.size}`);
    }
  }
  await Promise.all(inflight);
  const deadline = performance.now() + 15_000;
  while (applied < total && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const elapsed = (performance.now() - begin) / 1000;
  progress(`applied ${applied}/${total} in ${round(elapsed, 1)}s`);
  result({
    rate_per_s: RATE,
    achieved_per_s: round(applied / elapsed, 0),
    events: latencies.length,
    p50_ms: round(percentile(latencies, 50), 1),
    p90_ms: round(percentile(latencies, 90), 1),
    p99_ms: round(percentile(latencies, 99), 1),
    max_ms: round(percentile(latencies, 100), 1),
    lost: total - applied,
  });
} finally {
  await consumer.stop();
  await relay.stop();
  await bus.jsm.consumers
    .delete(streamName(TEST_STREAM.name), durableName(`bench__${run}`))
    .catch(() => undefined);
  await bus.close();
  await t.drop();
}
