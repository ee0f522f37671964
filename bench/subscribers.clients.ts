/**
 * The client side of `npm run bench -- subscribers`, a process of its own (forked by
 * subscribers.bench.ts) so the server's process does only the server's work: the HTTPS webhook
 * receiver, SUBSCRIBERS gRPC Subscribe calls (+ 1 that never reads). Latency = receive time −
 * the event's `joinedAt` (set when it was published; same machine clock); events of index below
 * MEASURE_FROM (the warm-up) are counted but not measured. Talks to the parent over IPC:
 * → {receiver: url} once listening; ← {subscribe} → {subscribed}; ← {cpuMark} (CPU counted from
 * here); ← {report} → {report: {…}}; ← {stop}.
 * Env: EVENTS_ADDR, CLUSTER, SUBSCRIBERS, MEASURE_FROM, MAX_BATCH (Subscribe's max_batch),
 * FLOW_WINDOW (the clients' HTTP/2 flow-control window, bytes), RECEIVER_CERT and RECEIVER_KEY (PEM, of the
 * parent's test CA, which the server trusts).
 */
import https from 'node:https';
import { loadPackage, protoFilesOf } from '@edgeplane/proto';
import { testGrpcCredentials } from '@edgeplane/testing';
import type * as grpc from '@grpc/grpc-js';

const SUBSCRIBERS = Number(process.env.SUBSCRIBERS);
const MEASURE_FROM = Number(process.env.MEASURE_FROM);
const MAX_BATCH = Number(process.env.MAX_BATCH ?? 0);
const FLOW_WINDOW = Number(process.env.FLOW_WINDOW ?? 65_535);
const CLUSTER = process.env.CLUSTER!;
const send = (m: unknown) => process.send!(m);

/** Latencies (ms) in a growing Float64Array: millions of them without boxed numbers. */
class Samples {
  private a = new Float64Array(1 << 20);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  percentile(p: number): number | null {
    if (this.n === 0) return null;
    const s = this.a.slice(0, this.n).sort();
    return s[Math.min(this.n - 1, Math.ceil((p / 100) * this.n) - 1)]!;
  }
}

const grpcLatency = new Samples();
const hookLatency = new Samples();
let grpcReceived = 0;
let hookReceived = 0;
/** per subscription: the index of the last event seen (order and duplicates are checked) */
const outOfOrder = { grpc: 0, hook: 0 };

const indexOf = (name: string) => Number(name.slice(2));
const pki = { cert: process.env.RECEIVER_CERT!, key: process.env.RECEIVER_KEY! };
const lastHookIndex = new Map<string, number>();
const receiver = https.createServer(
  { cert: pki.cert, key: pki.key, keepAliveTimeout: 60_000 },
  (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const now = Date.now();
      // one structured event, or a CloudEvents batch (a JSON array of them, in order)
      const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as HookEvent | HookEvent[];
      const hook = String(req.headers['edgeplane-webhook-id']);
      for (const event of Array.isArray(parsed) ? parsed : [parsed]) {
        const i = indexOf(event.data.nodeName);
        if ((lastHookIndex.get(hook) ?? -1) >= i) outOfOrder.hook++;
        lastHookIndex.set(hook, i);
        hookReceived++;
        if (i >= MEASURE_FROM) hookLatency.push(now - Date.parse(event.data.joinedAt));
      }
      res.writeHead(204).end();
    });
  },
);
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
send({ receiver: `https://127.0.0.1:${(receiver.address() as { port: number }).port}/hook` });

interface HookEvent {
  data: { nodeName: string; joinedAt: string };
}

const pkg = loadPackage(protoFilesOf('events')).grpcObject as any;
const Client = pkg.edgeplane.events.v1.EventService as typeof grpc.Client;
const clients: grpc.Client[] = [];
const calls: grpc.ClientReadableStream<any>[] = [];

async function subscribe(): Promise<void> {
  const started: Promise<void>[] = [];
  for (let i = 0; i <= SUBSCRIBERS; i++) {
    const client = new Client(
      process.env.EVENTS_ADDR!,
      testGrpcCredentials({ user: `sub-${i}`, groups: ['edgeplane:subscribers'] }),
      // HTTP/2 flow control: the server may send this much before the client's next WINDOW_UPDATE
      // (default 64 KiB: at 1,000 events/s a client woken late by a busy machine stalls it)
      { 'grpc-node.flow_control_window': FLOW_WINDOW },
    );
    clients.push(client);
    const call = (client as any).Subscribe({
      filter: { cluster: CLUSTER, types: ['NodeJoined'] },
      now: true,
      maxBatch: MAX_BATCH,
    });
    calls.push(call);
    const slow = i === SUBSCRIBERS;
    let last = -1;
    started.push(
      new Promise<void>((resolve) => {
        let first = true;
        call.on('data', (m: { event: { dataJson: string } | null; batch: { dataJson: string }[] }) => {
          if (first) {
            first = false; // the start: a cursor, no event
            if (slow) call.pause(); // never reads past the first message
            return resolve();
          }
          const now = Date.now();
          for (const event of m.event ? [m.event] : m.batch) {
            const data = JSON.parse(event.dataJson) as { nodeName: string; joinedAt: string };
            const index = indexOf(data.nodeName);
            if (index <= last) outOfOrder.grpc++;
            last = index;
            grpcReceived++;
            if (index >= MEASURE_FROM) grpcLatency.push(now - Date.parse(data.joinedAt));
          }
        });
        call.on('error', () => resolve());
      }),
    );
  }
  await Promise.all(started);
}

let cpuMark = process.cpuUsage();
process.on('message', (m: { subscribe?: true; cpuMark?: true; report?: true; stop?: true }) => {
  if (m.cpuMark) cpuMark = process.cpuUsage();
  if (m.subscribe) void subscribe().then(() => send({ subscribed: true }));
  if (m.report)
    send({
      report: {
        grpcReceived,
        hookReceived,
        outOfOrder,
        grpcP50: grpcLatency.percentile(50),
        grpcP99: grpcLatency.percentile(99),
        hookP50: hookLatency.percentile(50),
        hookP99: hookLatency.percentile(99),
        cpuS: ((c) => (c.user + c.system) / 1e6)(process.cpuUsage(cpuMark)),
      },
    });
  if (m.stop) {
    for (const c of calls) c.cancel();
    for (const c of clients) c.close();
    receiver.closeAllConnections();
    receiver.close();
    process.disconnect();
  }
});
