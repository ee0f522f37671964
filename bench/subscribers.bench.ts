/**
 * subscribers: the events service (services/events, in-process on its own schema) under SUBSCRIBERS
 * gRPC Subscribe calls and WEBHOOKS webhooks (all to one local HTTPS receiver that trusts a test CA)
 * while NodeJoined events are published to JetStream at a steady RATE (as the cluster relay would).
 * Reports delivery latency publish → received (p50/p99) for gRPC and webhooks, what was delivered,
 * and what one deliberately slow subscriber (it never reads) costs the server: the events its
 * ordered consumer pulled ahead and their bytes. Clients run in this process too: on a shared box
 * their work is part of the figure. Warm-up 2 s, then MEASURE_S seconds.
 * Env: SUBSCRIBERS (100), WEBHOOKS (100), RATE (1000 events/s), MEASURE_S (10).
 */
import https from 'node:https';
import os from 'node:os';
import { STREAMS, streamName } from '@edgeplane/contracts';
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
import { testPki } from '../services/events/test/fixtures.js';
import { percentile, progress, result, round } from './util.js';

const SUBSCRIBERS = Number(process.env.SUBSCRIBERS ?? 100);
const WEBHOOKS = Number(process.env.WEBHOOKS ?? 100);
const RATE = Number(process.env.RATE ?? 1000);
const WARMUP_S = 2;
const MEASURE_S = Number(process.env.MEASURE_S ?? 10);
const clusterId = `cls-bench-${Date.now().toString(36)}`;

// a CA and a server certificate for the receiver
const pki = testPki();

const sentAt = new Map<string, number>();
let measuring = false;
const grpcLatency: number[] = [];
const hookLatency: number[] = [];
let grpcReceived = 0;
let hookReceived = 0;

const receiver = https.createServer({ cert: pki.cert, key: pki.key }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const now = performance.now();
    const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { nodeName: string } };
    const t0 = sentAt.get(event.data.nodeName);
    hookReceived++;
    if (measuring && t0 !== undefined) hookLatency.push(now - t0);
    res.writeHead(204).end();
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
const receiverUrl = `https://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;

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

const pkg = loadPackage(protoFilesOf('events')).grpcObject as any;
const Client = pkg.edgeplane.events.v1.EventService as typeof grpc.Client;
const clients: grpc.Client[] = [];
const calls: grpc.ClientReadableStream<any>[] = [];
const unary = (c: any, method: string, req: unknown) =>
  new Promise<any>((resolve, reject) =>
    c[method](req, (e: Error | null, r: any) => (e ? reject(e) : resolve(r))),
  );

try {
  const admin = new Client(svc.grpcAddress, testGrpcCredentials());
  clients.push(admin);
  progress(`registering ${WEBHOOKS} webhooks, opening ${SUBSCRIBERS} subscriptions + 1 slow one`);
  for (let i = 0; i < WEBHOOKS; i++)
    await unary(admin, 'CreateWebhook', {
      url: receiverUrl,
      filter: { cluster: clusterId, types: ['NodeJoined'] },
    });
  const started: Promise<void>[] = [];
  for (let i = 0; i <= SUBSCRIBERS; i++) {
    const client = new Client(
      svc.grpcAddress,
      testGrpcCredentials({ user: `sub-${i}`, groups: ['edgeplane:subscribers'] }),
    );
    clients.push(client);
    const call = (client as any).Subscribe({
      filter: { cluster: clusterId, types: ['NodeJoined'] },
      now: true,
    });
    calls.push(call);
    const slow = i === SUBSCRIBERS;
    started.push(
      new Promise<void>((resolve) => {
        call.on('data', (m: { event: { dataJson: string } | null }) => {
          if (!m.event) {
            if (slow) call.pause(); // never reads past the first message
            return resolve();
          }
          const now = performance.now();
          const t0 = sentAt.get((JSON.parse(m.event.dataJson) as { nodeName: string }).nodeName);
          grpcReceived++;
          if (measuring && t0 !== undefined) grpcLatency.push(now - t0);
        });
        call.on('error', () => resolve());
      }),
    );
  }
  await Promise.all(started);
  const heapBefore = process.memoryUsage().rss;

  progress(`offering ${RATE} events/s: ${WARMUP_S}s warm-up, ${MEASURE_S}s measured`);
  const total = RATE * (WARMUP_S + MEASURE_S);
  const begin = performance.now();
  const inflight: Promise<void>[] = [];
  let bytes = 0;
  for (let i = 0; i < total; i++) {
    const due = begin + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    if (i === RATE * WARMUP_S) measuring = true;
    const name = `n-${i}`;
    sentAt.set(name, performance.now());
    const data = nodeJoined(clusterId, name);
    bytes += JSON.stringify(data).length;
    inflight.push(publishEvent(bus, 'NodeJoined', `node-${clusterId}-${name}`, data));
    if (inflight.length >= 500) await Promise.all(inflight.splice(0));
  }
  await Promise.all(inflight);
  const offeredS = (performance.now() - begin) / 1000;
  progress('draining (up to 20 s)');
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && (grpcReceived < total * SUBSCRIBERS || hookReceived < total * WEBHOOKS))
    await new Promise((r) => setTimeout(r, 200));
  measuring = false;

  // the slow subscriber: how far its ordered consumer pulled while it read nothing
  let slowPulled = -1;
  for await (const c of svc.bus.jsm.consumers.list(streamName(STREAMS.CLUSTER.name))) {
    const info = c as { name: string; num_pending: number; delivered: { stream_seq: number } };
    if (!info.name.startsWith('events-sub')) continue;
    if (info.num_pending > slowPulled) slowPulled = total - info.num_pending; // the one far behind
  }
  result({
    subscribers: SUBSCRIBERS,
    webhooks: WEBHOOKS,
    offered_rate: RATE,
    offered_seconds: round(offeredS, 2),
    events: total,
    grpc_delivered: grpcReceived,
    grpc_expected: total * SUBSCRIBERS,
    grpc_p50_ms: round(percentile(grpcLatency, 50)),
    grpc_p99_ms: round(percentile(grpcLatency, 99)),
    webhook_delivered: hookReceived,
    webhook_expected: total * WEBHOOKS,
    webhook_p50_ms: round(percentile(hookLatency, 50)),
    webhook_p99_ms: round(percentile(hookLatency, 99)),
    slow_subscriber_pulled_events: slowPulled,
    slow_subscriber_pulled_kib: round((slowPulled * (bytes / total + 400)) / 1024),
    rss_growth_mib: round((process.memoryUsage().rss - heapBefore) / 2 ** 20),
    loadavg: os.loadavg().map((l) => round(l, 2)),
  });
} finally {
  for (const c of calls) c.cancel();
  for (const c of clients) c.close();
  // the schema is in the bench's environment: the runner drops it
  await svc.stop();
  await bus.close();
  receiver.closeAllConnections();
  receiver.close();
  pki.cleanup();
}
