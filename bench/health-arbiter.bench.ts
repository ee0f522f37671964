// @bench-environment caller — shares the caller's EDGEPLANE_ENV (scripts/bench.mjs), see "EDGEPLANE_ENV" below
/**
 * health-arbiter: 10,000 nodes in 100 NodeUnits (multi-region), a 10 s probe period.
 * The arbiter runs as a real process (services/health-arbiter/src/main.ts, own schema); the nodes
 * are simulated by another process (bench/health-arbiter/publisher.ts) publishing heartbeats and
 * probe reports to the SIGNALS stream. Phases:
 *   1. register the cluster, set multi-region, join every node into its unit (catalogue events);
 *      wait for every node's first Ready verdict
 *   2. steady state (STEADY_S): observations ingested per second (arbiter /metrics) and the
 *      arbiter's CPU share (/proc/<pid>/stat)
 *   3. burst: the publisher sends BURST_REPORTS extra reports as fast as it can → ingest ceiling
 *   4. soak: 30 % of the nodes lose their cloud link (peers still reach them), 5 % die (peers
 *      report them down): false evictions (NoExecute for the 30 %), time to evict each dead node,
 *      and the verdict latency after the grace (NodeVerdictChanged arrival on JetStream minus
 *      evidence.cloudLastSeen + grace)
 * Env: NODES, UNITS, GRACE_S (40), PROBE_PERIOD_S (10), VOTE_TTL_S (60), STEADY_S (20),
 * BURST_REPORTS (30000), SOAK_S (default max(grace + 2 periods, vote TTL) + 20),
 * ARBITERS (1): benchmark arbiter processes on the benchmark's schema; they and every other
 * arbiter of the environment (a running local stack's) share the 32 partitions by lease, so
 * exactly one of them judges the benchmark's cluster. The cluster's id is picked in a partition
 * the first benchmark arbiter holds, so the measures (ingest, CPU) are the benchmark's arbiters'
 * (summed) — the others only hear the cluster's events. EDGEPLANE_ENV: the benchmark runs in
 * the caller's (line 1): unset, the environment of a local stack started without it (`npm
 * start`) — the real test of the leases: the stack's arbiter hears the benchmark's cluster and
 * must not judge it; `EDGEPLANE_ENV=some-name npm run bench -- health-arbiter` runs it alone.
 * LEASE_TTL_MS (10000): the arbiters' lease time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import readline from 'node:readline';
import * as grpc from '@grpc/grpc-js';
import {
  STREAMS,
  busSubject,
  signalPartition,
  streamName,
  type Envelope,
  type NodeVerdictChangedData,
} from '@edgeplane/contracts';
import { checkHealth, loadPackage, protoFilesOf } from '@edgeplane/proto';
import { createDatabase } from '@edgeplane/eventstore';
import {
  clusterCreated,
  deleteInstanceDurables,
  freePort,
  membershipChanged,
  nodeJoined,
  publishEvent,
  publishEvents,
  testBus,
  testGrpcCredentials,
  testServices,
  uniqueName,
} from '@edgeplane/testing';
import { DeliverPolicy } from '@nats-io/jetstream';
import { sql } from 'kysely';
import { nodeName, unitName, unitOf } from './health-arbiter/topology.js';
import { percentile, progress, result, round } from './util.js';

const NODES = Number(process.env.NODES ?? 10_000);
const UNITS = Number(process.env.UNITS ?? 100);
const GRACE_S = Number(process.env.GRACE_S ?? 40);
const PERIOD_S = Number(process.env.PROBE_PERIOD_S ?? 10);
const VOTE_TTL_S = Number(process.env.VOTE_TTL_S ?? 60);
const STEADY_S = Number(process.env.STEADY_S ?? 20);
const BURST_REPORTS = Number(process.env.BURST_REPORTS ?? 30_000);
const SOAK_S = Number(process.env.SOAK_S ?? Math.max(GRACE_S + 2 * PERIOD_S, VOTE_TTL_S) + 20);
const ARBITERS = Math.max(1, Number(process.env.ARBITERS ?? 1));
const LEASE_TTL_MS = Number(process.env.LEASE_TTL_MS ?? 10_000);
const REPO = new URL('..', import.meta.url).pathname;
const CLK_TCK = 100;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const { databaseUrl, natsUrl } = await testServices();
const bus = await testBus();
const db = createDatabase({ url: databaseUrl, max: 2 });
const schema = uniqueName('bench_ha');
// picked once the arbiters hold their partitions (a partition the first one holds)
let clusterId = '';
let clusterName = '';
const arbiterPorts: { grpc: number; metrics: number }[] = [];
for (let i = 0; i < ARBITERS; i++) arbiterPorts.push({ grpc: await freePort(), metrics: await freePort() });
const grpcPort = arbiterPorts[0]!.grpc;
const names = Array.from({ length: NODES }, (_, i) => nodeName(i, NODES, UNITS));
const indexOf = new Map(names.map((n, i) => [n, i]));

// ── what arrives on JetStream ──
interface Seen {
  verdict: NodeVerdictChangedData['verdict'];
  rule: string;
  arrival: number;
  cloudLastSeen: string | null;
}
const seen = new Map<number, Seen[]>();
let readyCount = 0;
const verdictConsumer = await bus.js.consumers.get(streamName(STREAMS.HEALTH.name), {
  filter_subjects: busSubject('edgeplane.health.node.verdict-changed'),
  deliver_policy: DeliverPolicy.New,
});
const verdictSub = await verdictConsumer.consume({
  callback: (msg) => {
    const env = msg.json<Envelope<NodeVerdictChangedData>>();
    if (env.data.clusterId !== clusterId) return;
    const i = indexOf.get(env.data.node);
    if (i === undefined) return;
    const list = seen.get(i) ?? [];
    if (env.data.verdict === 'Ready' && !list.some((s) => s.verdict === 'Ready')) readyCount++;
    list.push({
      verdict: env.data.verdict,
      rule: env.data.rule,
      arrival: Date.now(),
      cloudLastSeen: env.data.evidence.cloudLastSeen,
    });
    seen.set(i, list);
  },
});

const arbiters: ChildProcess[] = [];
let publisher: ChildProcess | undefined;
const publisherEvents: { event: string; [k: string]: unknown }[] = [];

async function metricOf(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(name + '{') || l.startsWith(name + ' '));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

/** A counter summed over the benchmark's arbiters (only the holder of the cluster counts it). */
async function metric(name: string): Promise<number> {
  let sum = 0;
  for (const p of arbiterPorts) sum += await metricOf(p.metrics, name);
  return sum;
}

/** The partitions an arbiter holds now (edgeplane_health_partition_held). */
async function heldPartitions(port: number): Promise<number[]> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text
    .split('\n')
    .map((l) => /^edgeplane_health_partition_held\{[^}]*\bpartition="(\d+)"[^}]*\} 1$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]));
}

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14, 15)
}

async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

function publisherEvent(name: string, after = 0): Promise<{ [k: string]: unknown }> {
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      const e = publisherEvents.slice(after).find((x) => x.event === name);
      if (e) {
        clearInterval(poll);
        resolve(e);
      }
    }, 50);
  });
}

async function cleanup(): Promise<void> {
  publisher?.stdin?.end();
  publisher?.kill('SIGTERM');
  await Promise.all(
    arbiters.map(async (arbiter) => {
      if (arbiter.exitCode !== null) return;
      arbiter.kill('SIGTERM'); // our own children, by pid
      await Promise.race([new Promise((r) => arbiter.once('exit', r)), sleep(10_000)]);
      if (arbiter.exitCode === null) arbiter.kill('SIGKILL');
    }),
  );
  await verdictSub.close().catch(() => undefined);
  await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(db).catch(() => undefined);
  await db.destroy();
  if (clusterId)
    await bus.jsm.streams
      .purge(streamName(STREAMS.SIGNALS.name), { filter: busSubject(`edgeplane.signal.${clusterId}.>`) })
      .catch(() => undefined);
  await deleteInstanceDurables(bus, [schema]);
  await bus.close();
}

try {
  // ── 1. arbiter processes, cluster, nodes ──
  const spawnArbiter = async (i: number) => {
    const ports = arbiterPorts[i]!;
    progress(
      `starting arbiter ${i + 1}/${ARBITERS} (schema ${schema}, gRPC ${ports.grpc}, metrics ${ports.metrics})`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', 'services/health-arbiter/src/main.ts'], {
      cwd: REPO,
      env: {
        ...process.env,
        SERVICE_SCHEMA: schema,
        DATABASE_URL: databaseUrl,
        NATS_URL: natsUrl,
        GRPC_HOST: '127.0.0.1',
        GRPC_PORT: String(ports.grpc),
        METRICS_PORT: String(ports.metrics),
        CONSUMER_START: 'new',
        LOG_LEVEL: 'warn',
        HEALTH_LEASE_TTL_MS: String(LEASE_TTL_MS),
        HEALTH_INSTANCE_ID: `${schema.replace(/_/g, '-')}-${i + 1}`,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout?.pipe(process.stderr);
    arbiters.push(child);
    await waitFor(
      `arbiter ${i + 1} to serve`,
      async () => {
        if (child.exitCode !== null)
          throw new Error(`arbiter ${i + 1} exited (${child.exitCode}) before serving`);
        return (
          await checkHealth(`127.0.0.1:${ports.grpc}`, { timeoutMs: 1000 }).catch(() => ({ serving: false }))
        ).serving;
      },
      180_000, // tsx start-up on a loaded machine
    );
  };
  await spawnArbiter(0); // migrates the schema
  await Promise.all(arbiterPorts.slice(1).map((_, k) => spawnArbiter(k + 1)));
  // the leases settle (the plan is redone every TTL/4): then a cluster in a partition the first
  // benchmark arbiter holds
  let held: number[][] = [];
  let stableSince = Date.now();
  let last = '';
  await waitFor(
    'the partition leases to settle',
    async () => {
      held = await Promise.all(arbiterPorts.map((p) => heldPartitions(p.metrics)));
      const now = JSON.stringify(held);
      if (now !== last) {
        last = now;
        stableSince = Date.now();
      }
      return held[0]!.length > 0 && Date.now() - stableSince > LEASE_TTL_MS / 2;
    },
    120_000,
  );
  const target = held[0]![0]!;
  do clusterId = uniqueName('bench').replace(/_/g, '-');
  while (signalPartition(clusterId) !== target);
  clusterName = clusterId;
  progress(
    `leases: benchmark arbiters hold ${held.map((h) => h.length).join(' + ')} of 32 partitions ` +
      `(the rest: other arbiters of the environment); cluster ${clusterId} in partition ${target}`,
  );
  const pids = arbiters.map((a) => a.pid!);

  const { grpcObject } = loadPackage(protoFilesOf('health-arbiter'));
  const Ctor = (grpcObject as any).edgeplane.health.v1.HealthService as typeof grpc.Client;
  const api = new Ctor(`127.0.0.1:${grpcPort}`, testGrpcCredentials()) as any;
  const call = (method: string, req: unknown) =>
    new Promise<any>((resolve, reject) =>
      api[method](req, (err: unknown, res: unknown) => (err ? reject(err) : resolve(res))),
    );

  await publishEvent(bus, 'ClusterCreated', `cluster-${clusterId}`, clusterCreated(clusterId, clusterName));
  await waitFor(
    'ClusterCreated to be consumed',
    () =>
      call('GetConfig', { cluster: clusterId }).then(
        () => true,
        () => false,
      ),
    30_000,
  );
  await call('SetConfig', {
    cluster: clusterId,
    multiRegion: true,
    graceSeconds: GRACE_S,
    voteTtlSeconds: VOTE_TTL_S,
    actor: 'bench',
  });
  progress(`cluster ${clusterId}: multi-region on, grace ${GRACE_S}s, vote TTL ${VOTE_TTL_S}s`);

  publisher = spawn(process.execPath, ['--import', 'tsx', 'bench/health-arbiter/publisher.ts'], {
    cwd: REPO,
    env: {
      ...process.env,
      NATS_URL: natsUrl,
      BENCH_CLUSTER: clusterId,
      NODES: String(NODES),
      UNITS: String(UNITS),
      PROBE_PERIOD_MS: String(PERIOD_S * 1000),
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  readline.createInterface({ input: publisher.stdout! }).on('line', (line) => {
    try {
      publisherEvents.push(JSON.parse(line));
    } catch {
      process.stderr.write(`publisher: ${line}\n`);
    }
  });
  const send = (cmd: object) => publisher!.stdin!.write(JSON.stringify(cmd) + '\n');
  await publisherEvent('ready');
  progress(`publisher simulating ${NODES} nodes in ${UNITS} units, probe period ${PERIOD_S}s`);

  const t0 = Date.now();
  const at = new Date();
  // Every membership first, then the joins: a running stack's nodepool (shared environment)
  // reconciles this cluster too and emits its own version 1 (no units) in reaction to each
  // NodeJoined; published after all of ours, it is the later of equal versions and skipped.
  const joins: { type: string; streamId: string; data: unknown }[] = [];
  const memberships: { type: string; streamId: string; data: unknown }[] = [];
  for (let i = 0; i < NODES; i++) {
    const node = names[i]!;
    joins.push({
      type: 'NodeJoined',
      streamId: `node-${clusterId}-${node}`,
      data: nodeJoined(clusterId, node, at),
    });
    memberships.push({
      type: 'NodeMembershipChanged',
      streamId: `nodemembership:${clusterId}:${node}`,
      // the first event of the node's membership stream, as nodepool emits it (streamVersion 1)
      data: {
        ...membershipChanged(clusterId, node, ['unit-node-all', unitName(unitOf(i, NODES, UNITS))], at),
        streamVersion: 1,
      },
    });
  }
  const events = [...memberships, ...joins];
  // in chunks, each retried after a publish timeout (a loaded NATS): a NodeJoined or membership
  // published twice is applied once (idempotent upserts)
  for (let k = 0; k < events.length; k += 1000) {
    const chunk = events.slice(k, k + 1000);
    for (let attempt = 1; ; attempt++) {
      try {
        await publishEvents(bus, chunk);
        break;
      } catch (error) {
        if (attempt >= 5) throw error;
        progress(`publishing events ${k}…: ${(error as Error).message}; again (${attempt})`);
        await sleep(2000);
      }
    }
  }
  progress(`published ${events.length} NodeJoined + NodeMembershipChanged in ${Date.now() - t0} ms`);
  let lastReport = 0;
  await waitFor(
    `a Ready verdict for all ${NODES} nodes`,
    () => {
      if (Date.now() - lastReport > 5000) {
        lastReport = Date.now();
        progress(`  ${readyCount}/${NODES} nodes Ready`);
      }
      return readyCount === NODES;
    },
    240_000,
  );
  progress(
    `all ${NODES} nodes Ready after ${round((Date.now() - t0) / 1000)} s; warming up one probe period`,
  );
  await sleep(PERIOD_S * 1000 + 2000);

  // ── 2. steady state ──
  const obs0 = await metric('edgeplane_health_observations_total');
  const cpu0 = pids.reduce((sum, pid) => sum + cpuTicks(pid), 0);
  const s0 = Date.now();
  await sleep(STEADY_S * 1000);
  const obs1 = await metric('edgeplane_health_observations_total');
  const cpu1 = pids.reduce((sum, pid) => sum + cpuTicks(pid), 0);
  const steadySeconds = (Date.now() - s0) / 1000;
  const steadyRate = (obs1 - obs0) / steadySeconds;
  const cpuPct = ((cpu1 - cpu0) / CLK_TCK / steadySeconds) * 100;
  progress(
    `steady state: ${Math.round(steadyRate)} observations/s, arbiter CPU ${round(cpuPct)} % of one core`,
  );

  // ── 3. burst: ingest ceiling ──
  const b0 = await metric('edgeplane_health_observations_total');
  const bt0 = Date.now();
  const doneIndex = publisherEvents.length;
  send({ cmd: 'burst', reports: BURST_REPORTS });
  const burstDone = (await publisherEvent('burst-done', doneIndex)) as { observations: number; ms: number };
  // the arbiter has drained the burst when it has counted the burst plus the steady traffic meanwhile
  let bEnd = b0;
  let btEnd = bt0;
  await waitFor(
    'the arbiter to ingest the burst',
    async () => {
      bEnd = await metric('edgeplane_health_observations_total');
      btEnd = Date.now();
      return bEnd - b0 >= burstDone.observations + ((steadyRate * (btEnd - bt0)) / 1000) * 0.9;
    },
    120_000,
  );
  const ceiling = (bEnd - b0) / ((btEnd - bt0) / 1000);
  progress(
    `burst: publisher sent ${BURST_REPORTS} reports (${burstDone.observations} observations) in ${burstDone.ms} ms; ` +
      `arbiter ingested ${bEnd - b0} observations in ${btEnd - bt0} ms = ${Math.round(ceiling)}/s`,
  );
  await sleep(2000);

  // ── 4. soak: 30 % cut off from the cloud, 5 % dead ──
  const cut: number[] = [];
  const dead: number[] = [];
  const size = Math.ceil(NODES / UNITS);
  for (let i = 0; i < NODES; i++) {
    const k = i % size;
    if (k < Math.round(size * 0.3)) cut.push(i);
    else if (k < Math.round(size * 0.35)) dead.push(i);
  }
  const soakIndex = publisherEvents.length;
  const mark = new Map<number, number>();
  for (const [i, list] of seen) mark.set(i, list.length);
  send({ cmd: 'soak', cut, dead });
  const tSoak = (await publisherEvent('soak-applied', soakIndex)).at as number;
  progress(`soak: ${cut.length} nodes lost their cloud link, ${dead.length} died; observing ${SOAK_S}s`);
  const deadSet = new Set(dead);
  const cutSet = new Set(cut);
  const since = (i: number) => (seen.get(i) ?? []).slice(mark.get(i) ?? 0);
  const soakEnd = tSoak + SOAK_S * 1000;
  lastReport = 0;
  while (Date.now() < soakEnd) {
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      const evicted = dead.filter((i) => since(i).some((s) => s.verdict === 'NotReadyNoExecute')).length;
      const vouched = cut.filter((i) => since(i).at(-1)?.verdict === 'NotReadyNoSchedule').length;
      progress(
        `  t+${Math.round((Date.now() - tSoak) / 1000)}s: dead evicted ${evicted}/${dead.length}, cut-off NoSchedule ${vouched}/${cut.length}`,
      );
    }
    await sleep(500);
  }

  let falseEvictions = 0;
  const falseEvictionRules: Record<string, number> = {};
  for (let i = 0; i < NODES; i++) {
    if (deadSet.has(i)) continue;
    const evicted = since(i).find((s) => s.verdict === 'NotReadyNoExecute');
    if (!evicted) continue;
    falseEvictions++;
    falseEvictionRules[evicted.rule] = (falseEvictionRules[evicted.rule] ?? 0) + 1;
  }
  const evictTimes = dead
    .map((i) => since(i).find((s) => s.verdict === 'NotReadyNoExecute'))
    .filter((s): s is Seen => s !== undefined)
    .map((s) => (s.arrival - tSoak) / 1000);
  const latencies: number[] = [];
  for (const i of [...cut, ...dead]) {
    const first = since(i).find((s) => s.verdict !== 'Ready' && s.cloudLastSeen);
    if (first) latencies.push(first.arrival - (Date.parse(first.cloudLastSeen!) + GRACE_S * 1000));
  }
  const cutNoSchedule = cut.filter((i) => since(i).at(-1)?.verdict === 'NotReadyNoSchedule').length;
  progress(
    `soak done: false evictions ${falseEvictions}, dead evicted ${evictTimes.length}/${dead.length} ` +
      `(max ${round(Math.max(...evictTimes, 0))} s after death), cut-off nodes NoSchedule ${cutNoSchedule}/${cutSet.size}, ` +
      `verdict latency after grace p50 ${Math.round(percentile(latencies, 50))} ms p99 ${Math.round(percentile(latencies, 99))} ms`,
  );
  send({ cmd: 'stop' });
  api.close();

  await cleanup();
  result({
    nodes: NODES,
    units: UNITS,
    observations_per_s: Math.round(ceiling),
    observations_per_s_steady: Math.round(steadyRate),
    arbiter_cpu_pct: round(cpuPct),
    verdict_latency_p99_ms: Math.round(percentile(latencies, 99)),
    verdict_latency_p50_ms: Math.round(percentile(latencies, 50)),
    false_evictions: falseEvictions,
    false_eviction_rules: falseEvictionRules,
    cut_off_nodes: cut.length,
    cut_off_no_schedule: cutNoSchedule,
    dead_nodes: dead.length,
    dead_evicted: evictTimes.length,
    dead_evict_max_s: round(Math.max(...evictTimes, 0)),
    grace_s: GRACE_S,
    probe_period_s: PERIOD_S,
    bench_arbiters: ARBITERS,
    partitions_held_by_bench: held.reduce((n, h) => n + h.length, 0),
  });
} catch (error) {
  progress(`failed: ${(error as Error).stack ?? String(error)}`);
  await cleanup().catch(() => undefined);
  process.exit(1);
}
