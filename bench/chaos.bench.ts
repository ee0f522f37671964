// @bench-environment caller — its own PostgreSQL and NATS cluster: no EDGEPLANE_ENV needed (scripts/bench.mjs)
/**
 * chaos: a steady mixed load through the public gRPC API while the bench breaks things, then the
 * checks that nothing acknowledged was lost, nothing was applied twice, no read model drifted from
 * its log and no relay is stuck.
 *
 * Everything runs on parts of its own, so other work on the machine is neither hurt nor heard:
 * - a PostgreSQL 15 cluster of its own (`pg_createcluster 15 chaos -p 5544`, dropped at the end),
 *   one database per service;
 * - a 3-node NATS cluster (scripts/nats-cluster.mjs, client ports 16222-16224, routes 16322-16324),
 *   streams at replicas 3 (NATS_STREAM_REPLICAS=3);
 * - the six services as separate processes, from the dist/ bundles as `npm start` runs them
 *   (rebuilt first when stale; --tsx: from the TypeScript sources), logs in
 *   /tmp/edgeplane-chaos-<pid>/logs (kept; the path is printed).
 * Load: WORKERS scenarios at a time, each a new cluster: CreateCluster, CreateJoinToken, two
 * RedeemJoinToken, LabelNode, CordonNode, CreateNodeUnit (setNode labels), CreateNodeGroup,
 * UpdateNodeUnit, health SetConfig and SetUnitHealthCheck. Every acknowledged command registers
 * the effect it must have (in the service's read model, or downstream: nodepool's labels on the
 * cluster service's node, the health-arbiter knowing the cluster and unit), polled until it holds.
 * A failed call is retried while the failure is transient (a kill, a cut); a command is counted
 * when it is acknowledged. Every few seconds one oversized or malformed request is sent.
 * Faults, spread over the first 80 % of the run: SIGKILL of each service in turn (restarted 2 s
 * later), a PostgreSQL crash-restart (`stop -m immediate`, 3 s down), nodepool's database cut off
 * for 10 s (ALLOW_CONNECTIONS false + pg_terminate_backend in a loop), SIGKILL of the NATS node
 * leading EDGEPLANE_CLUSTER (restarted 10 s later).
 * Then: every expectation must hold (effects_missing; max_convergence_s = slowest ack → effect),
 * no creation event twice and no two events from one upstream event (effects_duplicated), every
 * relay's checkpoint at its log's end (relay_stuck), dead letters counted (dead_letters), events
 * whose place in the relay's (tx_id, position) order differs from their stream order counted
 * (stream_order_inversions: the relay publishes, and a rebuild replays, in that order), and with
 * the services stopped each inline projection is compared with a rebuild from position 0
 * (projection_mismatches).
 * Flags: --duration <s> (default 240), --short (75 s, for a smoke), --workers <n> (default 3), --tsx.
 * Env: CHAOS_PG_PORT (5544), CHAOS_NATS_PORT (16222), CHAOS_LOG_LEVEL (warn), CONVERGE_S (120).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectBus } from '@edgeplane/messaging';
import { freePort } from '@edgeplane/testing';
import { startNatsCluster, type NatsCluster } from '../scripts/nats-cluster.mjs';
import {
  deadLetters,
  duplicatedEffects,
  projectionMismatches,
  relayProgress,
  streamOrderInversions,
} from './chaos/checks.js';
import {
  ChaosPostgres,
  CuttableProxy,
  SERVICE_NAMES,
  ServiceSet,
  errorLines,
  type ServiceName,
} from './chaos/infra.js';
import { Api, Ledger, Workload, attack, attacks, pollExpectations } from './chaos/workload.js';
import { percentile, progress, result, round } from './util.js';

const argv = process.argv.slice(2);
const flag = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const SHORT = argv.includes('--short');
const DURATION_S = Number(flag('--duration') ?? (SHORT ? 75 : 240));
const WORKERS = Number(flag('--workers') ?? 3);
const RUNTIME = argv.includes('--tsx') ? 'tsx' : 'bundle';
const PG_PORT = Number(process.env.CHAOS_PG_PORT ?? 5544);
const NATS_PORT = Number(process.env.CHAOS_NATS_PORT ?? 16222);
const CONVERGE_S = Number(process.env.CONVERGE_S ?? 120);
if (!(DURATION_S >= 30) || !(WORKERS >= 1)) {
  console.error('usage: npm run bench -- chaos [--duration <seconds ≥ 30>] [--short] [--workers <n>]');
  process.exit(2);
}

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUN_DIR = `/tmp/edgeplane-chaos-${process.pid}`;
const runId = Date.now().toString(36).slice(-6);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const dbName = (svc: string) => `chaos_${svc.replace(/-/g, '_')}`;

mkdirSync(RUN_DIR, { recursive: true });
const pg = new ChaosPostgres('chaos', PG_PORT);
let nats: NatsCluster | undefined;
/** nodepool reaches PostgreSQL through a proxy the bench can cut (a network partition) */
const nodepoolProxy = new CuttableProxy(PG_PORT);
const services = new ServiceSet(REPO, path.join(RUN_DIR, 'logs'), (m) => progress(m), RUNTIME);
const faults: { what: string; at_s: number; recovered_s?: number; note?: string }[] = [];
let kills = 0;
/** when the load started (set once the services serve): the fault schedule and `t=` count from it */
let begin = Date.now();
const since = () => round((Date.now() - begin) / 1000, 1);
process.on('exit', () => {
  services.killAllNow();
  for (const n of nats?.nodes ?? []) n.child?.kill('SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    // interrupted: nothing of the bench's may be left behind
    services.killAllNow();
    for (const n of nats?.nodes ?? []) n.child?.kill('SIGKILL');
    try {
      execFileSync('pg_dropcluster', ['--stop', pg.version, pg.name], { stdio: 'ignore' });
    } catch {
      /* not created yet */
    }
    rmSync(path.join(RUN_DIR, 'nats'), { recursive: true, force: true });
    process.exit(130);
  });
}

async function allServing(timeoutMs = 120_000): Promise<number> {
  const t0 = Date.now();
  await Promise.all(SERVICE_NAMES.map((s) => services.waitServing(s, timeoutMs)));
  return Date.now() - t0;
}

try {
  // 1. Parts of its own.
  progress(`PostgreSQL cluster "chaos" on 127.0.0.1:${PG_PORT} (pg_createcluster)`);
  await pg.create();
  progress(`NATS cluster of 3 on 127.0.0.1:${NATS_PORT}-${NATS_PORT + 2}`);
  nats = await startNatsCluster({
    nodes: 3,
    clientPort: NATS_PORT,
    dir: path.join(RUN_DIR, 'nats'),
    clusterName: 'chaos',
    log: (m) => progress(m),
  });
  for (const svc of SERVICE_NAMES) await pg.createDatabase(dbName(svc));
  await nodepoolProxy.start();
  const extra: Partial<Record<ServiceName, Record<string, string>>> = {};
  for (const svc of SERVICE_NAMES) {
    const env: Record<string, string> = {};
    if (svc === 'tunnel') {
      env.TUNNEL_JOIN_PORT = String(await freePort());
      env.TUNNEL_PORT = String(await freePort());
      env.TUNNEL_PEER_PORT = String(await freePort());
      env.TUNNEL_CLUSTER_ADDR = services.address('cluster');
      env.TUNNEL_HOST = '127.0.0.1';
    }
    if (svc === 'cluster') env.JOIN_SERVER_URL = `https://127.0.0.1:${await freePort()}`;
    extra[svc] = env;
    const url =
      svc === 'nodepool'
        ? pg.urlOf(dbName(svc)).replace(`:${PG_PORT}/`, `:${nodepoolProxy.port}/`)
        : pg.urlOf(dbName(svc));
    await services.add(svc, dbName(svc), url, nats.url, env);
  }
  if (RUNTIME === 'bundle') {
    progress('dist/ bundles (scripts/build.mjs --if-stale)');
    execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale', '--quiet'], {
      cwd: REPO,
      stdio: 'inherit',
    });
  }
  progress(`starting ${SERVICE_NAMES.join(', ')} (${RUNTIME}; logs in ${RUN_DIR}/logs)`);
  for (const svc of SERVICE_NAMES) services.start(svc);
  progress(`all SERVING in ${round((await allServing(180_000)) / 1000, 1)} s`);

  const bus = await connectBus({ url: nats.url, name: 'chaos-bench' });
  const addresses = {
    cluster: services.address('cluster'),
    nodepool: services.address('nodepool'),
    'health-arbiter': services.address('health-arbiter'),
  };
  const api = new Api(addresses);
  const attackApi = new Api(addresses); // its own channels: a dropped connection hurts only the attacks
  const ledger = new Ledger();
  const workload = new Workload(api, ledger, runId);

  // 2. Load.
  begin = Date.now();
  let loadStopped = false;
  let pollStopped = false;
  let next = 0;
  const workers = Array.from({ length: WORKERS }, async () => {
    while (!loadStopped) await workload.scenario(next++);
  });
  const poller = pollExpectations(ledger, () => pollStopped);
  const attacker = (async () => {
    let k = 0;
    while (!loadStopped) {
      await sleep(SHORT ? 2500 : 4000);
      if (!workload.fixture || loadStopped) continue;
      const list = attacks(workload.fixture, runId);
      await attack(attackApi, ledger, list[k++ % list.length]!);
    }
  })();
  const reporter = setInterval(() => {
    const seen = ledger.expectations.filter((e) => e.seenAt !== undefined).length;
    progress(
      `t=${since()}s acked ${ledger.commandsAcked}, effects seen ${seen}/${ledger.expectations.length}, ` +
        `scenarios ${ledger.scenariosDone}, retried ${JSON.stringify(ledger.retriedCodes)}`,
    );
  }, 10_000);

  // 3. Faults, spread over the first 80 % of the run.
  type Fault = { what: string; run: () => Promise<string | undefined> };
  const killService = (svc: ServiceName): Fault => ({
    what: `SIGKILL ${svc}`,
    run: async () => {
      await services.kill(svc);
      kills++;
      await sleep(2000);
      services.start(svc);
      await services.waitServing(svc, 120_000);
      return undefined;
    },
  });
  const plan: Fault[] = [
    killService('cluster'),
    killService('nodepool'),
    {
      what: 'PostgreSQL crash-restart (stop -m immediate, 3 s down)',
      run: async () => {
        await pg.restart(3000);
        await allServing(120_000);
        return undefined;
      },
    },
    killService('health-arbiter'),
    {
      what: 'network between nodepool and PostgreSQL cut for 10 s (TCP proxy)',
      run: async () => `${await nodepoolProxy.cut(10_000)} connections dropped`,
    },
    {
      what: "cluster's database refuses connections for 10 s (ALLOW_CONNECTIONS false + pg_terminate_backend)",
      run: async () => `${await pg.cutDatabase(dbName('cluster'), 10_000)} backends terminated`,
    },
    killService('grid'),
    {
      what: 'SIGKILL the NATS node leading EDGEPLANE_CLUSTER (back after 10 s)',
      run: async () => {
        const info = await bus.jsm.streams.info('EDGEPLANE_CLUSTER');
        const leader = info.cluster?.leader;
        const node = leader ? nats!.byName(leader) : undefined;
        if (!node) return `no leader found (${leader})`;
        await node.kill('SIGKILL');
        kills++;
        const t0 = Date.now();
        let elected: string | undefined;
        try {
          // asked through the surviving servers only: the election, not the bench's own reconnect
          const survivors = await connectBus({
            url: nats!.nodes
              .filter((n) => n !== node)
              .map((n) => n.url)
              .join(','),
            name: 'chaos-leader-watch',
          }).catch(() => bus);
          while (Date.now() - t0 < 30_000) {
            const i = await survivors.jsm.streams.info('EDGEPLANE_CLUSTER').catch(() => undefined);
            if (i?.cluster?.leader && i.cluster.leader !== leader) {
              elected = `${i.cluster.leader} after ${round((Date.now() - t0) / 1000, 1)} s`;
              break;
            }
            await sleep(100);
          }
          if (survivors !== bus) await survivors.close();
        } finally {
          await sleep(Math.max(0, 10_000 - (Date.now() - t0)));
          node.start();
          await node.waitReady();
        }
        return `leader ${leader} killed; new leader ${elected ?? 'not seen within 30 s'}`;
      },
    },
    killService('tunnel'),
    killService('addons'),
  ];
  const window = DURATION_S * 0.8 * 1000;
  for (let f = 0; f < plan.length; f++) {
    const due = begin + 15_000 + (f * (window - 15_000)) / plan.length;
    await sleep(Math.max(0, due - Date.now()));
    const fault = plan[f]!;
    const at = since();
    progress(`fault: ${fault.what}`);
    try {
      const note = await fault.run();
      faults.push({
        what: fault.what,
        at_s: at,
        recovered_s: round(since() - at, 1),
        ...(note ? { note } : {}),
      });
      progress(`  recovered after ${round(since() - at, 1)} s${note ? ` (${note})` : ''}`);
    } catch (error) {
      faults.push({ what: fault.what, at_s: at, note: `failed: ${(error as Error).message.slice(0, 300)}` });
      progress(`  fault step failed: ${(error as Error).message.slice(0, 300)}`);
    }
  }
  await sleep(Math.max(0, begin + DURATION_S * 1000 - Date.now()));

  // 4. Stop the load, let it converge.
  progress(`load stops (t=${since()}s); waiting for scenarios in flight`);
  loadStopped = true;
  workload.stopped = true;
  await Promise.race([Promise.all([...workers, attacker]), sleep(150_000)]);
  clearInterval(reporter);
  const convergeDeadline = Date.now() + CONVERGE_S * 1000;
  while (Date.now() < convergeDeadline && ledger.expectations.some((e) => e.seenAt === undefined))
    await sleep(1000);
  pollStopped = true;
  await poller;
  // a last pass over every expectation: an effect seen once must still hold (nothing overwritten by a stale event)
  const finalMissing: string[] = [];
  for (let k = 0; k < ledger.expectations.length; k += 4) {
    await Promise.all(
      ledger.expectations.slice(k, k + 4).map(async (e) => {
        if (!(await e.check().catch(() => false)))
          finalMissing.push(`${e.label}${e.seenAt ? ' (held once, lost later)' : ''}`);
      }),
    );
  }
  const convergence = ledger.expectations
    .filter((e) => e.seenAt !== undefined)
    .map((e) => (e.seenAt! - e.ackedAt) / 1000);
  progress(
    `effects: ${ledger.expectations.length - finalMissing.length}/${ledger.expectations.length} hold; ` +
      `convergence p50 ${round(percentile(convergence, 50), 2)} s, max ${round(percentile(convergence, 100), 1)} s`,
  );

  // 5. Bus and log checks.
  const relay = await relayProgress(pg, dbName, 60_000);
  const dlq = await deadLetters(bus.jsm);
  const duplicates = await duplicatedEffects(pg, dbName);
  const inversions = await streamOrderInversions(pg, dbName);
  for (const e of inversions.examples) progress(`  out of stream order in the relay's order: ${e}`);
  progress(
    `relays behind: ${JSON.stringify(relay.behind)}, parked ${relay.parked}; dead letters ${dlq.count}; duplicates ${duplicates.count}`,
  );
  for (const [subject, error] of Object.entries(dlq.bySubject))
    progress(`  dead letter ${subject}: ${error}`);
  for (const d of duplicates.examples) progress(`  duplicate: ${d}`);
  await bus.close();
  api.close();
  attackApi.close();

  // 6. Services stopped: projections against a rebuild from position 0.
  await services.stopAll();
  const projections = await projectionMismatches(pg, dbName);
  for (const e of projections.examples) progress(`  projection differs: ${e}`);
  for (const m of finalMissing.slice(0, 15)) progress(`  missing: ${m}`);
  for (const g of ledger.commandsGivenUp.slice(0, 10))
    progress(`  gave up: ${g.label}: ${g.code} ${g.message}`);
  for (const a of ledger.attackMishandled.slice(0, 10))
    progress(`  bad input mishandled: ${a.attack}: ${a.code} ${a.message}`);
  const unexpected = [...services.services.values()].flatMap((s) =>
    s.unexpectedExits.map((x) => ({ service: s.name, ...x })),
  );
  for (const u of unexpected)
    progress(
      `  ${u.service} died on its own at ${u.at} (${u.signal ?? u.code}): ${u.tail.replace(/\s+/g, ' ').slice(-300)}`,
    );
  for (const svc of SERVICE_NAMES)
    for (const l of errorLines(path.join(RUN_DIR, 'logs', `${svc}.log`), 2))
      progress(`  ${svc} error log: ${l}`);

  result({
    duration_s: DURATION_S,
    workers: WORKERS,
    commands_acked: ledger.commandsAcked,
    commands_given_up: ledger.commandsGivenUp.length,
    scenarios: ledger.scenariosDone,
    effects_expected: ledger.expectations.length,
    effects_missing: finalMissing.length,
    effects_duplicated: duplicates.count,
    projection_mismatches: projections.count,
    projection_mismatch_tables: projections.tables,
    dead_letters: dlq.count,
    dead_letter_subjects: Object.keys(dlq.bySubject),
    relay_stuck: relay.stuck.length,
    stream_order_inversions: inversions.count,
    relay_parked: relay.parked,
    max_convergence_s: round(percentile(convergence, 100), 1),
    p50_convergence_s: round(percentile(convergence, 50), 2),
    kills,
    pg_restarts: 1,
    db_cuts: 2,
    unexpected_exits: unexpected.length,
    retried_codes: ledger.retriedCodes,
    bad_requests: ledger.attacks,
    bad_requests_accepted: ledger.attackAccepted.length,
    bad_requests_mishandled: ledger.attackMishandled.length,
    faults,
    logs: `${RUN_DIR}/logs`,
  });
} finally {
  await services.stopAll().catch(() => undefined);
  await nodepoolProxy.stop().catch(() => undefined);
  await nats?.stop().catch(() => undefined);
  await pg.drop();
  rmSync(path.join(RUN_DIR, 'nats'), { recursive: true, force: true });
}
