/**
 * kube-api: `kubectl get nodes` on a cluster of 10,000 nodes, list in one go vs paged, and watch
 * fan-out (issue 12 Done-when).
 * The cluster service and the kube API run as real processes (TypeScript sources through tsx, own
 * schemas). Seeding (SEED):
 *   - `clone` (default): JOINED (100) nodes join through the real join path (RedeemJoinToken with
 *     a CSR made here, CONCURRENCY at a time); the other NODES − JOINED are copies of the first
 *     node's read-model row (`proj_nodes`, renamed) — what ListNodes/GetNode and so the kube API
 *     read. Joining all 10,000 for real is quadratic today: every redemption loads the JoinToken
 *     and the Cluster aggregates, whose streams grow by one event per node (2.9 joins/s at 1,000
 *     nodes on a loaded box, falling); the read paths measured here do not depend on how the rows
 *     came to be. The node whose label changes in phase 4 is a joined one.
 *   - `join`: every node joins for real (slow, see above).
 * Phases:
 *   1. seed: create the cluster (tier L5000: nodes beyond its cap are admitted cordoned, which
 *      changes nothing here), NODES nodes as above
 *   2. `kubectl get nodes` as kubectl sends it: GET /api/v1/nodes?limit=500 with the Table Accept
 *      header — the first page (REQUESTS times) and the whole walk through every continue token
 *      (WALKS times), p50/p99; plus one real `kubectl get nodes` run, timed, its rows counted
 *   3. list all nodes as JSON: without `limit` (the server's own page size), limit=1000 (the
 *      largest page the API takes) and limit=500 + continue; WALKS times each, p50/p99 and pages
 *   4. WATCHERS concurrent watches from the list's resourceVersion; ROUNDS label changes through
 *      the cluster service's LabelNode; per change, the time from the call to each watcher's
 *      MODIFIED line (fan-out latency p50/p99/max over every watcher and round)
 * Env: NODES (10000), CONCURRENCY (16), REQUESTS (50), WALKS (10), WATCHERS (100), ROUNDS (5).
 * Prints progress; ends with `RESULT {json}` (load average included: quote figures only with it).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as grpc from '@grpc/grpc-js';
import { schemaName } from '@edgeplane/contracts';
import { createDatabase } from '@edgeplane/eventstore';
import { createNodeCsr } from '@edgeplane/k8s';
import { checkHealth, loadPackage, protoFilesOf } from '@edgeplane/proto';
import { freePort, testGrpcCredentials, testServices, uniqueName } from '@edgeplane/testing';
import { sql } from 'kysely';
import { parse as parseYaml } from 'yaml';
import { percentile, progress, result, round } from './util.js';

const NODES = Number(process.env.NODES ?? 10_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 16);
const REQUESTS = Number(process.env.REQUESTS ?? 50);
const WALKS = Number(process.env.WALKS ?? 10);
const WATCHERS = Number(process.env.WATCHERS ?? 100);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const SEED = process.env.SEED === 'join' ? 'join' : 'clone';
const JOINED = SEED === 'join' ? NODES : Math.min(NODES, Number(process.env.JOINED ?? 100));
const REPO = new URL('..', import.meta.url).pathname;
const TABLE_ACCEPT =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const dir = mkdtempSync(path.join(tmpdir(), 'bench-kube-api-'));
const children: ChildProcess[] = [];
const schemas: string[] = [];
const logs: string[] = [];
const { databaseUrl, natsUrl } = await testServices();

type Unary = (req: unknown, md: grpc.Metadata, o: grpc.CallOptions, cb: (e: unknown, r: any) => void) => void;
let clients: Record<string, grpc.Client & Record<string, Unary>> = {};
function call<T = any>(service: string, method: string, request: unknown, timeoutMs = 30_000): Promise<T> {
  const c = clients[service]!;
  return new Promise<T>((resolve, reject) =>
    (c[method] as Unary).call(
      c,
      request,
      new grpc.Metadata(),
      { deadline: Date.now() + timeoutMs },
      (e, r) => (e ? reject(e) : resolve(r as T)),
    ),
  );
}

async function startService(
  name: string,
  entry: string,
  env: Record<string, string>,
): Promise<{ grpcPort: number; child: ChildProcess; schema: string }> {
  const grpcPort = await freePort();
  const schema = uniqueName(`bench_${name.replace(/-/g, '_')}`);
  schemas.push(schema);
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: REPO,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      NATS_URL: natsUrl,
      SERVICE_SCHEMA: schema,
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: String(grpcPort),
      METRICS_PORT: String(await freePort()),
      CONSUMER_START: 'new',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => logs.push(`[${name}] ${d}`));
  child.stderr!.on('data', (d) => logs.push(`[${name}] ${d}`));
  children.push(child);
  const until = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited:\n${logs.join('')}`);
    if ((await checkHealth(`127.0.0.1:${grpcPort}`, { timeoutMs: 500 }).catch(() => undefined))?.serving)
      break;
    if (Date.now() > until) throw new Error(`${name} did not become SERVING:\n${logs.join('')}`);
    await sleep(250);
  }
  return { grpcPort, child, schema };
}

async function cleanup(): Promise<void> {
  for (const c of Object.values(clients)) c.close();
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null) return resolve();
          const t = setTimeout(() => c.kill('SIGKILL'), 10_000);
          c.once('exit', () => {
            clearTimeout(t);
            resolve();
          });
          c.kill('SIGTERM');
        }),
    ),
  );
  const db = createDatabase({ url: databaseUrl, max: 1 });
  for (const s of schemas)
    await sql`DROP SCHEMA IF EXISTS ${sql.id(s)} CASCADE`.execute(db).catch(() => undefined);
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
}

try {
  // ───────────── services ─────────────
  const port = await freePort();
  const pki = path.join(dir, 'pki');
  const cluster = await startService('cluster', 'services/cluster/src/main.ts', {
    CLUSTER_APISERVER_URL: `https://127.0.0.1:${port}/k8s/clusters/{clusterId}`,
    CLUSTER_APISERVER_CA_FILE: path.join(pki, 'serving-ca.crt'),
  });
  const clusterAddr = `127.0.0.1:${cluster.grpcPort}`;
  const kubeApi = await startService('kube-api', 'services/kube-api/src/main.ts', {
    KUBE_API_PORT: String(port),
    KUBE_API_PKI_DIR: pki,
    KUBE_API_CLUSTER_ADDR: clusterAddr,
    KUBE_API_MAX_WATCHES: String(Math.max(1000, WATCHERS * 2)),
  });
  const ns = (loadPackage(protoFilesOf('cluster')).grpcObject as any).edgeplane.cluster.v1;
  const options = { 'grpc.max_receive_message_length': 64 * 1024 * 1024 };
  clients = Object.fromEntries(
    ['ClusterService', 'JoinTokenService', 'NodeService'].map((s) => [
      s,
      new ns[s](clusterAddr, testGrpcCredentials(), options),
    ]),
  );
  // a redemption is what the join path (a service) asks on the node's behalf
  clients.Redeem = new ns.JoinTokenService(
    clusterAddr,
    testGrpcCredentials({ user: 'system:service:bench', groups: ['edgeplane:services'] }),
    options,
  );
  progress(`cluster ${clusterAddr}, kube-api https://127.0.0.1:${port} (pid ${kubeApi.child.pid})`);

  // ───────────── 1. seed ─────────────
  const name = `bench-${randomBytes(3).toString('hex')}`;
  const created = await call('ClusterService', 'CreateCluster', {
    name,
    kubernetesVersion: '1.22.5',
    runtime: 'containerd',
    region: 'ap-guangzhou',
    vpcCidr: '10.0.0.0/16',
    podCidr: '172.16.0.0/12',
    serviceCidr: '192.168.0.0/16',
    tier: 'L5000',
  });
  const clusterId = created.id as string;
  await call('ClusterService', 'SetAccess', { cluster: { id: clusterId }, publicAccess: true });
  const token = await call('JoinTokenService', 'CreateJoinToken', {
    cluster: { id: clusterId },
    ttlSeconds: 86_400,
  });
  const nodeName = (i: number) => `n-${String(i).padStart(5, '0')}`;
  const seedStart = performance.now();
  let next = 0;
  let joined = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < JOINED) {
        const i = next++;
        const n = nodeName(i);
        const { csrPem } = await createNodeCsr(n);
        for (let attempt = 1; ; attempt++) {
          try {
            await call('Redeem', 'RedeemJoinToken', {
              token: token.tokenSecretText,
              nodeName: n,
              csrPem,
              arch: 'x86_64',
              os: 'Ubuntu 22.04',
              interface: 'eth0',
              ips: [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`],
            });
            break;
          } catch (error) {
            const code = (error as grpc.ServiceError).code;
            if (code === grpc.status.ALREADY_EXISTS) break;
            if (attempt >= 5) throw error;
            await sleep(200 * attempt);
          }
        }
        if (++joined % 100 === 0)
          progress(
            `joined ${joined}/${JOINED} (${round(joined / ((performance.now() - seedStart) / 1000))}/s)`,
          );
      }
    }),
  );
  const joinSeconds = (performance.now() - seedStart) / 1000;
  if (NODES > JOINED) {
    // the rest: copies of n-00000's read-model row under their own names (see the header)
    const db = createDatabase({ url: databaseUrl, max: 1 });
    try {
      const table = sql.id(schemaName(cluster.schema), 'proj_nodes');
      const copied = await sql`
        INSERT INTO ${table} (cluster_id, node_name, joined_at, schedulable, state, last_position)
        SELECT p.cluster_id, n.name, p.joined_at, p.schedulable,
          CASE WHEN p.state #> '{systemLabels,cluster,kubernetes.io/hostname}' IS NOT NULL
            THEN jsonb_set(jsonb_set(p.state, '{nodeName}', to_jsonb(n.name)),
                           '{systemLabels,cluster,kubernetes.io/hostname}', to_jsonb(n.name))
            ELSE jsonb_set(p.state, '{nodeName}', to_jsonb(n.name)) END,
          p.last_position
        FROM ${table} p,
          (SELECT 'n-' || lpad(g::text, 5, '0') AS name FROM generate_series(${JOINED}::int, ${NODES - 1}::int) g) n
        WHERE p.cluster_id = ${clusterId} AND p.node_name = ${nodeName(0)}`.execute(db);
      progress(`copied ${copied.numAffectedRows} read-model rows`);
    } finally {
      await db.destroy();
    }
  }
  const seedSeconds = (performance.now() - seedStart) / 1000;
  progress(`seeded ${NODES} nodes (${JOINED} joined in ${round(joinSeconds)} s) in ${round(seedSeconds)} s`);

  // ───────────── the admin kubeconfig ─────────────
  const kc = await call('ClusterService', 'GetKubeconfig', { cluster: { id: clusterId } });
  const kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kc.kubeconfigYaml, { mode: 0o600 });
  const cfg = parseYaml(kc.kubeconfigYaml);
  const b64 = (v: string) => Buffer.from(v, 'base64');
  const server = cfg.clusters[0].cluster.server as string;
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: WATCHERS + 16,
    ca: b64(cfg.clusters[0].cluster['certificate-authority-data']),
    cert: b64(cfg.users[0].user['client-certificate-data']),
    key: b64(cfg.users[0].user['client-key-data']),
  });

  /** One GET on a kept-alive connection; once more on a fresh one if the server had closed it idle. */
  async function get(
    pathAndQuery: string,
    accept = 'application/json',
  ): Promise<{ status: number; body: any }> {
    try {
      return await getOnce(pathAndQuery, accept);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ECONNRESET' && !/socket hang up/.test((error as Error).message)) throw error;
      return getOnce(pathAndQuery, accept);
    }
  }
  function getOnce(pathAndQuery: string, accept: string): Promise<{ status: number; body: any }> {
    return new Promise((resolve, reject) => {
      https
        .get(`${server}${pathAndQuery}`, { agent, headers: { accept } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
            } catch {
              reject(new Error(`${pathAndQuery}: ${res.statusCode} ${text.slice(0, 200)}`));
            }
          });
        })
        .on('error', reject);
    });
  }

  /** Every page of a list; its time, pages and items. */
  async function walk(query: string, accept?: string) {
    const t0 = performance.now();
    let token = '';
    let pages = 0;
    let items = 0;
    let rv = '';
    do {
      const sep = query ? '&' : '';
      const r = await get(
        `/api/v1/nodes?${query}${token ? `${sep}continue=${encodeURIComponent(token)}` : ''}`,
        accept,
      );
      if (r.status !== 200) throw new Error(`list: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
      pages++;
      items += (r.body.rows ?? r.body.items).length;
      token = r.body.metadata?.continue ?? '';
      rv ||= r.body.metadata?.resourceVersion ?? '';
    } while (token);
    return { ms: performance.now() - t0, pages, items, rv };
  }
  const stats = (ms: number[]) => ({
    p50: round(percentile(ms, 50)),
    p99: round(percentile(ms, 99)),
    max: round(Math.max(...ms)),
    n: ms.length,
  });

  // warm: discovery-free paths, caches of the certificate and the cluster
  const warm = await walk('limit=500', TABLE_ACCEPT);
  if (warm.items !== NODES) throw new Error(`the list has ${warm.items} rows, not ${NODES}`);

  // ───────────── 2. kubectl get nodes ─────────────
  const firstPage: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const t0 = performance.now();
    const r = await get('/api/v1/nodes?limit=500', TABLE_ACCEPT);
    firstPage.push(performance.now() - t0);
    if (r.body.kind !== 'Table' || r.body.rows.length !== Math.min(500, NODES))
      throw new Error(`not a Table of 500 rows: ${JSON.stringify(r.body).slice(0, 200)}`);
  }
  progress(`get nodes, first page (limit=500, Table): p50 ${round(percentile(firstPage, 50))} ms`);
  const tableWalks: number[] = [];
  let tablePages = 0;
  for (let i = 0; i < WALKS; i++) {
    const w = await walk('limit=500', TABLE_ACCEPT);
    tableWalks.push(w.ms);
    tablePages = w.pages;
  }
  progress(
    `get nodes, every page (Table): p50 ${round(percentile(tableWalks, 50))} ms over ${tablePages} pages`,
  );
  const kt0 = performance.now();
  const kubectl = spawnSync('kubectl', ['--kubeconfig', kubeconfig, 'get', 'nodes'], {
    env: { ...process.env, HOME: dir, KUBECACHEDIR: path.join(dir, 'kube-cache') },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const kubectlMs = performance.now() - kt0;
  const kubectlRows = kubectl.stdout.split('\n').filter((l) => /^n-\d+\s/.test(l)).length;
  if (kubectl.status !== 0) throw new Error(`kubectl get nodes: ${kubectl.stderr}`);
  // a second run: discovery is cached on disk now, as for a user's every command after the first
  const kt1 = performance.now();
  const kubectl2 = spawnSync('kubectl', ['--kubeconfig', kubeconfig, 'get', 'nodes'], {
    env: { ...process.env, HOME: dir, KUBECACHEDIR: path.join(dir, 'kube-cache') },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const kubectlWarmMs = performance.now() - kt1;
  if (kubectl2.status !== 0) throw new Error(`kubectl get nodes: ${kubectl2.stderr}`);
  progress(
    `kubectl get nodes: ${kubectlRows} rows in ${round(kubectlMs)} ms (cold discovery), ${round(kubectlWarmMs)} ms (warm)`,
  );

  // ───────────── 3. one page vs paged ─────────────
  const lists: Record<string, { ms: number[]; pages: number; items: number }> = {};
  for (const [label, query] of [
    ['noLimit', ''],
    ['limit1000', 'limit=1000'],
    ['limit500', 'limit=500'],
  ] as const) {
    const ms: number[] = [];
    let last = { pages: 0, items: 0 };
    for (let i = 0; i < WALKS; i++) {
      const w = await walk(query);
      ms.push(w.ms);
      last = w;
    }
    lists[label] = { ms, pages: last.pages, items: last.items };
    progress(
      `list JSON ${label}: p50 ${round(percentile(ms, 50))} ms, ${last.pages} pages, ${last.items} items`,
    );
  }

  // ───────────── 4. watch fan-out ─────────────
  const { rv } = await walk('limit=500');
  const target = nodeName(Math.floor(JOINED / 2));
  const arrivals = new Map<string, number[]>(); // round → arrival times
  const watchers: ReturnType<typeof https.get>[] = [];
  const failures: string[] = [];
  // a watch from a resourceVersion answers its headers with its first event: no waiting for them
  for (let w = 0; w < WATCHERS; w++) {
    const req = https.get(
      `${server}/api/v1/nodes?watch=true&resourceVersion=${rv}`,
      { agent, headers: { accept: 'application/json' } },
      (res) => {
        if (res.statusCode !== 200) failures.push(`watch: HTTP ${res.statusCode}`);
        let buf = '';
        res.on('data', (d) => {
          const at = performance.now();
          buf += d;
          let i: number;
          while ((i = buf.indexOf('\n')) >= 0) {
            const line = JSON.parse(buf.slice(0, i));
            buf = buf.slice(i + 1);
            const o = line.object;
            const r = o?.metadata?.labels?.['bench-round'];
            if (line.type === 'MODIFIED' && o.metadata.name === target && r) {
              const list = arrivals.get(r) ?? [];
              list.push(at);
              arrivals.set(r, list);
            }
          }
        });
        res.on('error', () => undefined);
      },
    );
    req.on('error', (e) => failures.push(String(e)));
    watchers.push(req);
  }
  const change = async (r: number, timeoutMs: number) => {
    const t0 = performance.now();
    await call('NodeService', 'LabelNode', {
      node: { cluster: { id: clusterId }, name: target },
      set: { 'bench-round': String(r) },
    });
    const deadline = Date.now() + timeoutMs;
    while ((arrivals.get(String(r))?.length ?? 0) < WATCHERS && Date.now() < deadline && !failures.length)
      await sleep(10);
    if (failures.length) throw new Error(failures.slice(0, 3).join('; '));
    return { t0, got: arrivals.get(String(r)) ?? [] };
  };
  // round 0 opens every watch (and its JetStream consumer); not counted
  const opening = await change(0, 120_000);
  progress(`${opening.got.length}/${WATCHERS} watches open from resourceVersion ${rv}`);
  const fanout: number[] = [];
  const missing: number[] = [];
  for (let r = 1; r <= ROUNDS; r++) {
    const { t0, got } = await change(r, 30_000);
    for (const at of got) fanout.push(at - t0);
    missing.push(WATCHERS - got.length);
    progress(
      `round ${r}: ${got.length}/${WATCHERS} watchers saw it, p50 ${round(
        percentile(
          got.map((a) => a - t0),
          50,
        ),
      )} ms, last after ${round(Math.max(...got.map((a) => a - t0)))} ms`,
    );
    await sleep(500);
  }
  for (const w of watchers) w.destroy();
  agent.destroy();

  result({
    nodes: NODES,
    seed: {
      mode: SEED,
      joined: JOINED,
      copied: NODES - JOINED,
      seconds: round(seedSeconds),
      joinsPerSecond: round(JOINED / joinSeconds),
      concurrency: CONCURRENCY,
    },
    getNodes: {
      firstPageTableMs: stats(firstPage),
      allPagesTableMs: { ...stats(tableWalks), pages: tablePages },
      kubectl: { rows: kubectlRows, coldMs: round(kubectlMs), warmMs: round(kubectlWarmMs) },
    },
    listJson: Object.fromEntries(
      Object.entries(lists).map(([k, v]) => [k, { ...stats(v.ms), pages: v.pages, items: v.items }]),
    ),
    watch: {
      watchers: WATCHERS,
      rounds: ROUNDS,
      fanoutMs: stats(fanout),
      missed: missing.reduce((a, b) => a + b, 0),
    },
    loadAverage: loadavg().map((l) => round(l, 2)),
  });
} catch (error) {
  console.error((error as Error).stack ?? error);
  console.error(logs.slice(-30).join(''));
  process.exitCode = 1;
} finally {
  await cleanup();
}
