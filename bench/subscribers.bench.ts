/**
 * subscribers: the events service (services/events, in-process on its own schema) under SUBSCRIBERS
 * gRPC Subscribe calls and WEBHOOKS webhooks (all to one local HTTPS receiver that trusts a test CA)
 * while NodeJoined events are published to JetStream at a steady RATE (as the cluster relay would).
 * The clients and the receiver run in a process of their own (subscribers.clients.ts), so this
 * process's CPU (and a --cpu-prof of it) is the server's and the publisher's. Reports delivery
 * latency publish → received (p50/p99) for gRPC and webhooks, delivered/expected, order
 * violations, and what one deliberately slow subscriber (it never reads) costs the server: what
 * waits in its queue on the shared reader. Warm-up 2 s, then MEASURE_S seconds, then up to
 * DRAIN_S seconds for the rest to arrive.
 * Env: SUBSCRIBERS (100), WEBHOOKS (100), RATE (1000 events/s), MEASURE_S (60), DRAIN_S (30),
 * MAX_BATCH (100: Subscribe's max_batch; 0 = one event per gRPC message), FLOW_WINDOW (4 MiB: the
 * subscribers' HTTP/2 flow-control window; grpc-js's default is 64 KiB), WEBHOOK_BATCH (100: the
 * webhooks' CloudEvents batch maxEvents, maxWaitMs WEBHOOK_BATCH_WAIT_MS 200; 0 = one event per POST).
 */
import { fork } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { busSubject, catalogue, STREAMS, streamName } from '@edgeplane/contracts';
import { DeliverPolicy } from '@nats-io/jetstream';
import { loadPackage, protoFilesOf } from '@edgeplane/proto';
import { bootstrapService, type RunningService } from '@edgeplane/service-kit';
import {
  freePort,
  nodeJoined,
  publishEvent,
  testBus,
  testGrpcCredentials,
  testServices,
  uniqueSchema,
} from '@edgeplane/testing';
import type * as grpc from '@grpc/grpc-js';
import { eventsService } from '../services/events/src/service.js';
import { Fanout } from '../services/events/src/stream/fanout.js';
import { testPki } from '../services/events/test/fixtures.js';
import { percentile, progress, result, round } from './util.js';

const SUBSCRIBERS = Number(process.env.SUBSCRIBERS ?? 100);
const WEBHOOKS = Number(process.env.WEBHOOKS ?? 100);
const RATE = Number(process.env.RATE ?? 1000);
const WARMUP_S = 2;
const MEASURE_S = Number(process.env.MEASURE_S ?? 60);
const DRAIN_S = Number(process.env.DRAIN_S ?? 30);
/** Subscribe's max_batch for the subscribers (0: one event per message) */
const MAX_BATCH = Number(process.env.MAX_BATCH ?? 100);
/** the subscribers' HTTP/2 flow-control window (grpc-node.flow_control_window; grpc-js default 64 KiB) */
const FLOW_WINDOW = Number(process.env.FLOW_WINDOW ?? 4 * 1024 * 1024);
/** the webhooks' CloudEvents batched mode: up to this many events per POST (0: one structured event per POST) */
const WEBHOOK_BATCH = Number(process.env.WEBHOOK_BATCH ?? 100);
const WEBHOOK_BATCH_WAIT_MS = Number(process.env.WEBHOOK_BATCH_WAIT_MS ?? 200);
const clusterId = `cls-bench-${Date.now().toString(36)}`;

// a CA and a server certificate for the receiver (the server trusts the CA)
const pki = testPki();

const { databaseUrl, natsUrl } = await testServices();
const bus = await testBus();
const schema = uniqueSchema('bench_events');
const svc = (await bootstrapService(
  { ...eventsService, schema },
  {
    DATABASE_URL: databaseUrl,
    NATS_URL: natsUrl,
    GRPC_HOST: '127.0.0.1',
    GRPC_PORT: String(await freePort()),
    METRICS_PORT: String(await freePort()),
    EVENTS_HTTP_PORT: '0',
    LOG_LEVEL: 'warn',
    EVENTS_WEBHOOK_ALLOW_PRIVATE: 'true', // the receiver is on 127.0.0.1
    WEBHOOK_CA_FILE: pki.caFile,
    WEBHOOK_POLL_MS: '60000',
  },
)) as RunningService;

// the clients: a process of their own
const total = RATE * (WARMUP_S + MEASURE_S);
const clients = fork(fileURLToPath(new URL('./subscribers.clients.ts', import.meta.url)), {
  execArgv: ['--import', 'tsx/esm'],
  env: {
    ...process.env,
    NODE_OPTIONS: '', // a --cpu-prof of the bench is for the server's process
    EVENTS_ADDR: svc.grpcAddress,
    CLUSTER: clusterId,
    SUBSCRIBERS: String(SUBSCRIBERS),
    MAX_BATCH: String(MAX_BATCH),
    FLOW_WINDOW: String(FLOW_WINDOW),
    MEASURE_FROM: String(RATE * WARMUP_S),
    RECEIVER_CERT: pki.cert,
    RECEIVER_KEY: pki.key,
  },
});
const replies: Record<string, any>[] = [];
const waiters: (() => void)[] = [];
clients.on('message', (m: Record<string, any>) => {
  replies.push(m);
  for (const w of waiters.splice(0)) w();
});
async function reply(key: string): Promise<any> {
  for (;;) {
    const hit = replies.find((r) => key in r);
    if (hit) return hit[key];
    if (clients.exitCode !== null) throw new Error(`the clients' process exited (${clients.exitCode})`);
    await new Promise<void>((r) => waiters.push(r));
  }
}
clients.on('exit', () => {
  for (const w of waiters.splice(0)) w();
});

const pkg = loadPackage(protoFilesOf('events')).grpcObject as any;
const Client = pkg.edgeplane.events.v1.EventService as typeof grpc.Client;
const unary = (c: any, method: string, req: unknown) =>
  new Promise<any>((resolve, reject) =>
    c[method](req, (e: Error | null, r: any) => (e ? reject(e) : resolve(r))),
  );
const admin = new Client(svc.grpcAddress, testGrpcCredentials());
let report: any;
let figures: Record<string, unknown> | undefined;
/** a percentile, or null when nothing was measured */
const orNull = (v: number | null) => (v === null ? null : round(v));

try {
  const receiverUrl = (await reply('receiver')) as string;
  progress(
    `registering ${WEBHOOKS} webhooks (${
      WEBHOOK_BATCH > 0
        ? `CloudEvents batched mode: WEBHOOK_BATCH=${WEBHOOK_BATCH} events per POST, max wait ${WEBHOOK_BATCH_WAIT_MS} ms (the default)`
        : 'one structured event per POST (WEBHOOK_BATCH=0)'
    }), opening ${SUBSCRIBERS} subscriptions + 1 slow one`,
  );
  for (let i = 0; i < WEBHOOKS; i++)
    await unary(admin, 'CreateWebhook', {
      url: receiverUrl,
      filter: { cluster: clusterId, types: ['NodeJoined'] },
      ...(WEBHOOK_BATCH > 0 ? { batch: { maxEvents: WEBHOOK_BATCH, maxWaitMs: WEBHOOK_BATCH_WAIT_MS } } : {}),
    });
  clients.send({ subscribe: true });
  await reply('subscribed');
  // baseline: a bare JetStream ordered consumer in this process, publish → received (what NATS and
  // this machine's load add before the events service does anything)
  const baselineLatency: number[] = [];
  const baselineConsumer = await bus.js.consumers.get(streamName(STREAMS.CLUSTER.name), {
    filter_subjects: busSubject(catalogue.get('NodeJoined').subject),
    deliver_policy: DeliverPolicy.New,
  });
  const baseline = await baselineConsumer.consume({ max_bytes: 8 * 1024 * 1024 }); // as the fan-out's
  void (async () => {
    for await (const m of baseline) {
      const data = (m.json() as { data: { nodeName: string; joinedAt: string } }).data;
      if (Number(data.nodeName.slice(2)) >= RATE * WARMUP_S)
        baselineLatency.push(Date.now() - Date.parse(data.joinedAt));
    }
  })();
  const rssBefore = process.memoryUsage().rss;
  // where the server's memory goes: the peak of each part of process.memoryUsage() and of what the
  // fan-out's queues hold (subscriptions and webhook lanes), sampled every second
  const memBefore = process.memoryUsage();
  const peak = { rss: 0, heapUsed: 0, external: 0, arrayBuffers: 0, subQueued: 0, hookQueued: 0 };
  const fanout = svc.app.get(Fanout);
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss - memBefore.rss);
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed - memBefore.heapUsed);
    peak.external = Math.max(peak.external, m.external - memBefore.external);
    peak.arrayBuffers = Math.max(peak.arrayBuffers, m.arrayBuffers - memBefore.arrayBuffers);
    peak.subQueued = Math.max(peak.subQueued, fanout.stats('events-sub').queuedBytes);
    peak.hookQueued = Math.max(peak.hookQueued, fanout.stats('events-hook').queuedBytes);
  }, 1000);
  clients.send({ cpuMark: true });
  const cpuBefore = process.cpuUsage();

  progress(`offering ${RATE} events/s: ${WARMUP_S}s warm-up, ${MEASURE_S}s measured`);
  const begin = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = begin + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const name = `n-${i}`;
    const data = nodeJoined(clusterId, name, new Date()); // joinedAt: when it was published
    inflight.push(publishEvent(bus, 'NodeJoined', `node-${clusterId}-${name}`, data));
    if (inflight.length >= 500) await Promise.all(inflight.splice(0));
  }
  await Promise.all(inflight);
  const offeredS = (performance.now() - begin) / 1000;
  progress(`draining (up to ${DRAIN_S} s)`);
  const deadline = Date.now() + DRAIN_S * 1000;
  for (;;) {
    clients.send({ report: true });
    replies.length = 0;
    report = await reply('report');
    if (report.grpcReceived >= total * SUBSCRIBERS && report.hookReceived >= total * WEBHOOKS) break;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const drainedS = (performance.now() - begin) / 1000 - offeredS;
  clearInterval(sampler);
  await baseline.close();

  // the slow subscriber: what waits for it on the server (its queue on the shared reader, cut
  // loose at its bound; a consumer of its own pulls only once it reads again)
  const lanes = svc.app.get(Fanout).stats('events-sub');
  let ownConsumers = 0;
  for await (const c of svc.bus.jsm.consumers.list(streamName(STREAMS.CLUSTER.name)))
    if ((c as { name: string }).name.startsWith('events-sub')) ownConsumers++;
  const cpu = process.cpuUsage(cpuBefore);
  const serverCpuS = (cpu.user + cpu.system) / 1e6;
  const delivered = report.grpcReceived + report.hookReceived;
  figures = {
    subscribers: SUBSCRIBERS,
    max_batch: MAX_BATCH,
    flow_window_kib: FLOW_WINDOW / 1024,
    webhooks: WEBHOOKS,
    webhook_batch:
      WEBHOOK_BATCH > 0 ? { max_events: WEBHOOK_BATCH, max_wait_ms: WEBHOOK_BATCH_WAIT_MS } : 'off',
    offered_rate: RATE,
    offered_seconds: round(offeredS, 2),
    events: total,
    drained_seconds: round(drainedS, 1),
    jetstream_baseline_p50_ms: round(percentile(baselineLatency, 50)),
    jetstream_baseline_p99_ms: round(percentile(baselineLatency, 99)),
    grpc_delivered: report.grpcReceived,
    grpc_expected: total * SUBSCRIBERS,
    grpc_p50_ms: orNull(report.grpcP50),
    grpc_p99_ms: orNull(report.grpcP99),
    webhook_delivered: report.hookReceived,
    webhook_expected: total * WEBHOOKS,
    webhook_p50_ms: orNull(report.hookP50),
    webhook_p99_ms: orNull(report.hookP99),
    out_of_order: report.outOfOrder,
    subscriptions_attached: lanes.attached,
    subscriptions_cut_loose: lanes.overflowed,
    catch_up_consumers: ownConsumers,
    slow_subscriber_held_kib: round(lanes.largestQueueBytes / 1024),
    server_rss_growth_mib: round((process.memoryUsage().rss - rssBefore) / 2 ** 20),
    server_peak_growth_mib: {
      rss: round(peak.rss / 2 ** 20),
      heap_used: round(peak.heapUsed / 2 ** 20),
      external: round(peak.external / 2 ** 20),
      array_buffers: round(peak.arrayBuffers / 2 ** 20),
      subscription_queues: round(peak.subQueued / 2 ** 20),
      webhook_lane_queues: round(peak.hookQueued / 2 ** 20),
    },
    // CPU time of this process (server + publisher) and of the clients' from the first event to
    // the end of the drain: per delivery, the figure a busy machine does not distort
    server_cpu_s: round(serverCpuS, 1),
    server_cpu_us_per_delivery: delivered > 0 ? round((serverCpuS * 1e6) / delivered) : null,
    clients_cpu_s: round(report.cpuS, 1),
    loadavg: os.loadavg().map((l) => round(l, 2)),
  };
} finally {
  if (clients.connected) clients.send({ stop: true });
  await new Promise((r) => (clients.exitCode !== null ? r(undefined) : clients.once('exit', r)));
  admin.close();
  // the schema is in the bench's environment: the runner drops it
  await svc.stop();
  await bus.close();
  pki.cleanup();
}
// last: the service's own shutdown lines come before it
if (figures) result(figures);
