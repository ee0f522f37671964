#!/usr/bin/env node
// The local stack without Docker.
//   node scripts/stack.mjs start [--tsx] [--nats-cluster N]   (npm start)   check PostgreSQL + NATS, run the six
//                                                             services; --nats-cluster N first starts an N-node NATS
//                                                             cluster on loopback (scripts/nats-cluster.mjs, client
//                                                             ports NATS_CLUSTER_PORT=14222…) and runs them on it
//                                                             with streams at min(N, 3) replicas (NATS_STREAM_REPLICAS)
//   node scripts/stack.mjs status [--json]  (npm run status)  grpc.health.v1 Check on every service
//   node scripts/stack.mjs check                              only the PostgreSQL + NATS/JetStream check (CI)
//   node scripts/stack.mjs smoke [--tsx]                      start the six in a database of their own
//                                                             (created, then dropped), on their own durables
//                                                             and free ports (a random STACK_PORT_OFFSET
//                                                             unless set), wait for SERVING, stop; exit 0
//                                                             if all served (CI)
// The services run as built JavaScript: `start` first rebuilds dist/ when a bundle is missing or older
// than its sources (scripts/build.mjs, esbuild, about a second), then runs
//   node --import dist/preload.mjs dist/services/<svc>.mjs
// (source maps are written next to the bundles; NODE_OPTIONS=--enable-source-maps maps stack traces
// to the TypeScript lines, for about 8 MB more per service).
// With --tsx (development, no build) they run from TypeScript as before:
//   node --import tsx/esm --import libs/observability/src/preload.ts services/<svc>/src/main.ts
// Env: DATABASE_URL, NATS_URL (defaults below), STACK_HOST (status target, default 127.0.0.1),
//      STACK_START_TIMEOUT_MS (default 120000), STACK_STOP_TIMEOUT_MS (default 10000), NO_COLOR,
//      STACK_PORT_OFFSET (added to every gRPC and metrics port, for start/status/smoke),
//      STACK_SCHEMA_SUFFIX (each service on schema <svc>_<suffix> with its own durables; smoke sets it),
//      STACK_ENTRY (entry file instead of the bundle; `{service}` is replaced; a .ts one runs with tsx),
//      STACK_SERVICES (comma-separated subset of the six to run, e.g. `cluster,nodepool`),
//      EDGEPLANE_ENV (the services' environment: every stream, subject, durable, KV bucket and schema
//      under that prefix, so this stack shares NATS and PostgreSQL with others without hearing them;
//      unset = the default names),
//      EDGEPLANE_KEK_FILE / EDGEPLANE_KEK (the key-encryption key sealing private keys at rest; when
//      neither is set the stack uses .edgeplane/kek, made with a random key on first use, mode 600).
// The bus (scripts/nats-auth.mjs): `start` runs its own nats-server (127.0.0.1:STACK_NATS_PORT,
// default 4322, + STACK_PORT_OFFSET; JetStream store in .edgeplane/nats/server) closed by one NKEY
// user per service with per-subject rights; the seeds are .edgeplane/nats/<user>.nk (mode 0600),
// each service gets its own (NATS_NKEY_SEED_FILE, NATS_INBOX_PREFIX), the stack provisions the
// streams as admin. `--nats-cluster N` closes the cluster's nodes the same way. `--open-bus` (or
// STACK_BUS=open) uses the NATS at NATS_URL without credentials instead, as `smoke` does unless
// given `--closed-bus` (then on a closed server of its own, failing on any permission violation).
// A service that dies under `start` is restarted (its last output lines and exit reason logged),
// after 1 s, doubling up to 30 s while it keeps dying within 30 s of its start; after 5 such fast
// deaths in a row the stack gives up and stops. A life of 30 s or more resets the count.
// STACK_RESTART_BACKOFF_MS, STACK_RESTART_MAX_BACKOFF_MS, STACK_RESTART_FAST_MS and
// STACK_RESTART_MAX_FAST change these. `smoke` never restarts: any death fails it.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PRELOAD_TS = path.join(REPO, 'libs/observability/src/preload.ts');
const PRELOAD_JS = path.join(REPO, 'dist/preload.mjs');
const HEALTH_CLIENT_JS = path.join(REPO, 'dist/stack/health-client.mjs');

/** The six services, their gRPC ports and Prometheus ports (the agreed table; docker-compose.yml mirrors it). */
const BASE_SERVICES = [
  { name: 'cluster', grpcPort: 50051, metricsPort: 9461 },
  { name: 'nodepool', grpcPort: 50052, metricsPort: 9462 },
  { name: 'grid', grpcPort: 50053, metricsPort: 9463 },
  { name: 'health-arbiter', grpcPort: 50054, metricsPort: 9464 },
  { name: 'tunnel', grpcPort: 50055, metricsPort: 9465 },
  { name: 'addons', grpcPort: 50056, metricsPort: 9466 },
  // the Kubernetes API front door: gRPC for health only, kubectl on KUBE_API_PORT (6443)
  { name: 'kube-api', grpcPort: 50057, metricsPort: 9467 },
  // the public event API (gRPC Subscribe, webhooks); the AsyncAPI catalogue on EVENTS_HTTP_PORT (9478)
  { name: 'events', grpcPort: 50058, metricsPort: 9468 },
];
/** STACK_PORT_OFFSET; smoke picks a free one when it is not set. */
let portOffset = Number(process.env.STACK_PORT_OFFSET || 0);
/** STACK_SERVICES: run only these (a test, or a developer working on two services). */
const ONLY = (process.env.STACK_SERVICES || '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const withOffset = (offset) =>
  BASE_SERVICES.filter((s) => ONLY.length === 0 || ONLY.includes(s.name)).map((s) => ({
    ...s,
    grpcPort: s.grpcPort + offset,
    metricsPort: s.metricsPort + offset,
  }));
let SERVICES = withOffset(portOffset);
/**
 * Ports and addresses services take from their own config defaults; a side-by-side stack
 * (STACK_PORT_OFFSET) moves them too, so it neither collides with nor talks to the default one.
 */
const OFFSET_ENV = {
  tunnel: (offset) => ({
    TUNNEL_JOIN_PORT: String(50443 + offset),
    TUNNEL_PORT: String(50444 + offset),
    TUNNEL_PEER_PORT: String(50445 + offset),
    TUNNEL_CLUSTER_ADDR: `127.0.0.1:${50051 + offset}`,
  }),
  cluster: (offset) => ({
    CLUSTER_APISERVER_URL: `https://127.0.0.1:${6443 + offset}/k8s/clusters/{clusterId}`,
    // the join command `token create` prints must name this stack's join server
    JOIN_SERVER_URL: `https://127.0.0.1:${50443 + offset}`,
  }),
  'kube-api': (offset) => ({
    KUBE_API_PORT: String(6443 + offset),
    KUBE_API_CLUSTER_ADDR: `127.0.0.1:${50051 + offset}`,
    KUBE_API_NODEPOOL_ADDR: `127.0.0.1:${50052 + offset}`,
    KUBE_API_GRID_ADDR: `127.0.0.1:${50053 + offset}`,
    KUBE_API_HEALTH_ADDR: `127.0.0.1:${50054 + offset}`,
  }),
  events: (offset) => ({ EVENTS_HTTP_PORT: String(9478 + offset) }),
};
const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
let NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222'; // may list several servers, comma-separated
/** --nats-cluster N: the cluster scripts/nats-cluster.mjs started for this stack (stopped with it). */
let natsCluster;
/** A closed bus (scripts/nats-auth.mjs): its users (admin: the stack's own connections) and its refusals. */
const closedBus = { users: undefined, tempDir: undefined, violations: [] };
const busConnectOptions = async () => {
  if (!closedBus.users) return {};
  const { natsConnectOptions } = await import('./nats-auth.mjs');
  return natsConnectOptions(closedBus.users.admin);
};
const HOST = process.env.STACK_HOST || '127.0.0.1';
const START_TIMEOUT_MS = Number(process.env.STACK_START_TIMEOUT_MS || 120_000);
const STOP_TIMEOUT_MS = Number(process.env.STACK_STOP_TIMEOUT_MS || 10_000);
/** Restarts of a service that died (start only): backoff doubling from BACKOFF to MAX_BACKOFF. */
const RESTART = {
  backoffMs: Number(process.env.STACK_RESTART_BACKOFF_MS || 1000),
  maxBackoffMs: Number(process.env.STACK_RESTART_MAX_BACKOFF_MS || 30_000),
  /** a death sooner than this after the start counts as a fast crash */
  fastMs: Number(process.env.STACK_RESTART_FAST_MS || 30_000),
  /** fast crashes in a row after which the stack gives up */
  maxFast: Number(process.env.STACK_RESTART_MAX_FAST || 5),
};

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, s) => (useColor ? `\x1b[${code}m${s}\x1b[0m` : s);
const COLORS = [36, 35, 33, 32, 34, 91];
const bold = (s) => paint(1, s);
const red = (s) => paint(31, s);
const green = (s) => paint(32, s);

/** Runtime of the services: 'bundle' (dist/, the default) or 'tsx' (TypeScript sources, --tsx). */
let runtime = 'bundle';
let schemaSuffix = process.env.STACK_SCHEMA_SUFFIX || '';
const schemaOf = (name) => `${name.replace(/-/g, '_')}_${schemaSuffix}`;
/** EDGEPLANE_ENV, checked as libs/contracts/src/naming.ts does (the services check it again). */
const ENVIRONMENT = (process.env.EDGEPLANE_ENV || '').trim();
const environmentProblem = (v) =>
  v === ''
    ? undefined
    : v.length > 24
      ? 'at most 24 characters'
      : !/^[a-z][a-z0-9-]*$/.test(v) || v.endsWith('-') || v === 'edgeplane'
        ? 'lower-case letters, digits and "-", starting with a letter, not ending with "-", not "edgeplane"'
        : undefined;
/** A schema as the services name it in ENVIRONMENT (`<env with - as _>__<schema>`). */
const inEnvironment = (schema) => (ENVIRONMENT ? `${ENVIRONMENT.replace(/-/g, '_')}__${schema}` : schema);

/** The health client: its bundle when fresh, else the TypeScript source through tsx (development). */
async function loadHealthClient() {
  const { staleBundles } = await import('./build.mjs');
  if (existsSync(HEALTH_CLIENT_JS) && !staleBundles().includes('stack/health-client.mjs')) {
    return import(pathToFileURL(HEALTH_CLIENT_JS).href);
  }
  const { tsImport } = await import('tsx/esm/api');
  return tsImport('../libs/proto/src/health-client.ts', import.meta.url);
}

/** Rebuilds dist/ when a bundle is missing or stale (a no-op otherwise). */
async function buildIfStale() {
  const { build } = await import('./build.mjs');
  await build({ ifStale: true });
}

/** kubectl-style table: upper-case headers, columns separated by 3 spaces. */
function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? String(c) : String(c).padEnd(widths[i])))
      .join('   ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

const redact = (url) => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');

// ---------------------------------------------------------------------------------------------
// status

async function status(argv) {
  const json = argv.includes('--json');
  const { checkHealth } = await loadHealthClient();
  const probes = await Promise.all(
    SERVICES.map(async (s) => ({
      service: s.name,
      ...(await checkHealth(`${HOST}:${s.grpcPort}`, { timeoutMs: 1500 })),
    })),
  );
  if (json) {
    console.log(JSON.stringify(probes, null, 2));
  } else {
    console.log(
      table(
        ['SERVICE', 'ADDRESS', 'STATUS'],
        probes.map((p) => [p.service, p.address, p.serving ? green(p.reason) : red(p.reason)]),
      ),
    );
  }
  return probes.every((p) => p.serving) ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------
// start: prerequisites

async function checkPostgres() {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  const where = redact(DATABASE_URL);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { ok: true, what: `PostgreSQL ${where}` };
  } catch (err) {
    const msg = err?.message || String(err);
    const db = new URL(DATABASE_URL).pathname.slice(1) || 'postgres';
    const user = decodeURIComponent(new URL(DATABASE_URL).username || 'postgres');
    if (err?.code === '3D000') {
      return {
        ok: false,
        what: `PostgreSQL ${where}: database "${db}" does not exist`,
        fix: [
          `su postgres -c "createdb ${db}"`,
          `(or: psql -h 127.0.0.1 -U ${user} -c 'CREATE DATABASE ${db}')`,
        ],
      };
    }
    if (err?.code === '28P01' || err?.code === '28000' || /password|pg_hba/.test(msg)) {
      return {
        ok: false,
        what: `PostgreSQL ${where}: login as "${user}" refused (${msg})`,
        fix: [
          `allow it in pg_hba.conf, e.g. "host all all 127.0.0.1/32 trust", then reload:`,
          `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main reload`,
          `(or put a password in DATABASE_URL)`,
        ],
      };
    }
    const reason = /ECONNREFUSED/.test(msg) || err?.code === 'ECONNREFUSED' ? 'connection refused' : msg;
    return {
      ok: false,
      what: `PostgreSQL is not reachable at ${where}: ${reason}`,
      fix: [
        'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
        'or: docker compose up -d postgres',
        '(or point DATABASE_URL at a running PostgreSQL 15)',
      ],
    };
  } finally {
    await client.end().catch(() => {});
  }
}

async function checkNats() {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const first = NATS_URL.split(',')[0];
  const { hostname, port } = new URL(first.includes('://') ? first : `nats://${first}`);
  const startCmds = [
    `nats-server -a ${hostname || '127.0.0.1'} -p ${port || 4222} -js -sd /var/lib/nats-server &`,
    '(install it with: apt-get install -y nats-server)',
    'or: docker compose up -d nats',
  ];
  let nc;
  try {
    nc = await connect({
      servers: NATS_URL.split(','),
      timeout: 3000,
      reconnect: false,
      ...(await busConnectOptions()),
    });
  } catch (err) {
    const msg = err?.message || String(err);
    const reason = /ECONNREFUSED|CONNECTION_REFUSED/i.test(`${msg} ${err?.code ?? ''}`)
      ? 'connection refused'
      : msg;
    return { ok: false, what: `NATS is not reachable at ${NATS_URL}: ${reason}`, fix: startCmds };
  }
  try {
    const jsm = await jetstreamManager(nc, { timeout: 3000 });
    await jsm.getAccountInfo();
    return { ok: true, what: `NATS ${NATS_URL} (JetStream, server ${nc.info?.version ?? '?'})` };
  } catch (err) {
    return {
      ok: false,
      what: `NATS at ${NATS_URL} has no JetStream (${err?.message || err})`,
      fix: ['restart nats-server with JetStream enabled:', ...startCmds],
    };
  } finally {
    await nc.close().catch(() => {});
  }
}

/** Can a server listen on this port (on every address, as the services do)? */
function portFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '0.0.0.0', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** An offset (1000-14990, a multiple of 10) at which every port of the stack is free. */
async function freePortOffset() {
  for (let attempt = 0; attempt < 50; attempt++) {
    const offset = 1000 + 10 * Math.floor(Math.random() * 1400);
    const ports = withOffset(offset).flatMap((s) => [s.grpcPort, s.metricsPort]);
    for (const env of Object.values(OFFSET_ENV)) {
      for (const v of Object.values(env(offset))) if (/^\d+$/.test(v)) ports.push(Number(v));
    }
    let free = true;
    for (const p of ports) if (!(free = await portFree(p))) break;
    if (free) return offset;
  }
  throw new Error('no port offset with every port of the stack free');
}

function portInUse(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(500);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}

// ---------------------------------------------------------------------------------------------
// start: children

const children = new Map(); // name → { child, exited: Promise<{code, signal}>, exitInfo, startedAt, tail }
/** name → { fastCrashes, restarts } across the lives of a service */
const lives = new Map();
/** restarts waiting for their backoff (cancelled by a shutdown) */
const pendingRestarts = new Set();
let stopping = false;
/** smoke: a death fails the run instead of being restarted */
let restartOnDeath = true;

/**
 * dist/services/<svc>.mjs (--tsx: services/<svc>/src/main.ts), or STACK_ENTRY with `{service}`
 * replaced (to try the script on stand-ins).
 */
const entryOf = (name) =>
  process.env.STACK_ENTRY
    ? path.resolve(REPO, process.env.STACK_ENTRY.replaceAll('{service}', name))
    : runtime === 'tsx'
      ? path.join(REPO, 'services', name, 'src', 'main.ts')
      : path.join(REPO, 'dist', 'services', `${name}.mjs`);

const preloadFile = () => (runtime === 'tsx' ? PRELOAD_TS : PRELOAD_JS);

function serviceCommand(name) {
  const entry = entryOf(name);
  const args = [];
  if (runtime === 'tsx' || entry.endsWith('.ts')) args.push('--import', 'tsx/esm');
  if (existsSync(preloadFile())) args.push('--import', preloadFile());
  args.push(entry);
  return args;
}

/**
 * The cluster and tunnel services seal private keys under a key-encryption key and refuse to start
 * without one: unless EDGEPLANE_KEK_FILE or EDGEPLANE_KEK is set, the stack's is .edgeplane/kek
 * (one random key, made once, kept: the keys sealed in the database need it on every start).
 */
function useLocalKek() {
  if (process.env.EDGEPLANE_KEK_FILE || process.env.EDGEPLANE_KEK) return false;
  const file = path.join(REPO, '.edgeplane', 'kek');
  let made = false;
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
      writeFileSync(file, `local-1:${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
      console.log(`key-encryption key made: ${path.relative(REPO, file)} (keep it; the sealed keys need it)`);
      made = true;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error; // another stack made it a moment ago
    }
  }
  chmodSync(file, 0o600);
  process.env.EDGEPLANE_KEK_FILE = file;
  return made;
}

/**
 * A key-encryption key made just now cannot open keys sealed before it: when the database already
 * holds sealed keys in this environment's schemas (another checkout's stack on the same
 * PostgreSQL, or a deleted .edgeplane/kek), the cluster and tunnel services would refuse to start
 * over and over. Say so once, with the ways out, before starting anything.
 */
async function sealedByAnotherKek() {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  const tables = [
    [inEnvironment(schemaSuffix ? schemaOf('cluster') : 'cluster'), 'cluster_keys'],
    [inEnvironment(schemaSuffix ? schemaOf('tunnel') : 'tunnel'), 'gateway_keys'],
  ];
  try {
    await client.connect();
    const found = [];
    for (const [schema, table] of tables) {
      const exists = await client.query('SELECT to_regclass($1) AS t', [`"${schema}"."${table}"`]);
      if (!exists.rows[0]?.t) continue;
      const n = await client.query(`SELECT count(*)::int AS n FROM "${schema}"."${table}"`);
      if (n.rows[0].n > 0) found.push(`${schema}.${table} (${n.rows[0].n})`);
    }
    return found;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The platform PKI of the gRPC API (mTLS, docs/architecture.md "Identity and authorization"):
 * unless EDGEPLANE_PKI_DIR is set, .edgeplane/pki (a CA made once and kept; every service issues
 * its own certificate from it at start), and the local admin's credential file
 * .edgeplane/credentials/admin.yaml, which the CLI finds from the repository on down.
 */
async function useLocalPki() {
  const { tsImport } = await import('tsx/esm/api');
  const pki = await tsImport('../libs/proto/src/auth/pki.ts', import.meta.url);
  const dir = process.env.EDGEPLANE_PKI_DIR || path.join(REPO, '.edgeplane', 'pki');
  const made = !existsSync(path.join(dir, 'ca.crt'));
  pki.ensurePlatformPki(dir);
  process.env.EDGEPLANE_PKI_DIR = dir;
  const credentials = path.join(REPO, '.edgeplane', 'credentials', 'admin.yaml');
  const admin = readFileSync(path.join(dir, 'admin.yaml'), 'utf8');
  if (!existsSync(credentials) || readFileSync(credentials, 'utf8') !== admin) {
    mkdirSync(path.dirname(credentials), { recursive: true, mode: 0o700 });
    writeFileSync(credentials, admin, { mode: 0o600 });
  }
  if (made)
    console.log(
      `platform CA made: ${path.relative(REPO, dir)}; admin credential: ${path.relative(REPO, credentials)}`,
    );
}

function spawnService(svc, index) {
  const prefix = paint(COLORS[index % COLORS.length], svc.name.padEnd(15) + '|');
  const child = spawn(process.execPath, serviceCommand(svc.name), {
    cwd: REPO,
    // Own process group: a terminal Ctrl-C reaches only this script, which then stops the
    // services in order (SIGTERM, wait, SIGKILL) instead of racing them.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      SERVICE_NAME: svc.name,
      OTEL_SERVICE_NAME: process.env.OTEL_SERVICE_NAME || `edgeplane-${svc.name}`,
      DATABASE_URL: serviceDatabaseUrl,
      NATS_URL,
      ...(natsCluster ? { NATS_STREAM_REPLICAS: String(Math.min(natsCluster.nodes.length, 3)) } : {}),
      // a closed bus: this service's NKEY seed file and inbox prefix
      ...(closedBus.users ? closedBus.users[svc.name]?.env : {}),
      GRPC_PORT: String(svc.grpcPort),
      METRICS_PORT: String(svc.metricsPort),
      // node and kubeconfig certificates on the gRPC API are checked by this stack's cluster service
      EDGEPLANE_CLUSTER_ADDR: `127.0.0.1:${50051 + portOffset}`,
      ...(portOffset && OFFSET_ENV[svc.name] ? OFFSET_ENV[svc.name](portOffset) : {}),
      // a side-by-side stack (smoke): own schema, own durables starting at the streams' ends
      ...(schemaSuffix ? { SERVICE_SCHEMA: schemaOf(svc.name), CONSUMER_START: 'new' } : {}),
    },
  });
  const entry = { child, exitInfo: undefined, startedAt: Date.now(), tail: [] };
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => {
      process.stdout.write(`${prefix} ${line}\n`);
      entry.tail.push(line);
      if (entry.tail.length > 5) entry.tail.shift();
    });
  }
  entry.exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      entry.exitInfo = { code, signal };
      resolve(entry.exitInfo);
    }),
  );
  children.set(svc.name, entry);
  entry.exited.then(({ code, signal }) => {
    if (stopping) return;
    const how = signal ?? `code ${code}`;
    if (!restartOnDeath) {
      console.error(red(`${bold(svc.name)} exited unexpectedly (${how}); stopping the stack`));
      void shutdown(1);
      return;
    }
    onDeath(svc, index, entry, how);
  });
}

/**
 * A service died under `start`: say why, and start it again after a backoff — unless it keeps
 * dying right after its start, which a restart will not cure (bad config, a port taken, a bug).
 */
function onDeath(svc, index, entry, how) {
  const life = lives.get(svc.name) ?? { fastCrashes: 0, restarts: 0 };
  lives.set(svc.name, life);
  const livedMs = Date.now() - entry.startedAt;
  life.fastCrashes = livedMs < RESTART.fastMs ? life.fastCrashes + 1 : 0;
  const lived = `${(livedMs / 1000).toFixed(1)}s`;
  const last = entry.tail.length > 0 ? `; its last lines:\n    ${entry.tail.join('\n    ')}` : '';
  if (life.fastCrashes >= RESTART.maxFast) {
    console.error(
      red(
        `${bold(svc.name)} exited (${how}) after ${lived}: ${life.fastCrashes} deaths in a row, each within ` +
          `${RESTART.fastMs / 1000}s of its start; giving up, stopping the stack${last}`,
      ),
    );
    void shutdown(1);
    return;
  }
  const delay = Math.min(RESTART.maxBackoffMs, RESTART.backoffMs * 2 ** Math.max(0, life.fastCrashes - 1));
  life.restarts++;
  console.error(
    red(
      `${bold(svc.name)} exited unexpectedly (${how}) after ${lived}; restart #${life.restarts} in ` +
        `${(delay / 1000).toFixed(1)}s${last}`,
    ),
  );
  const timer = setTimeout(() => {
    pendingRestarts.delete(timer);
    if (stopping) return;
    spawnService(svc, index);
    console.log(bold(`${svc.name} restarted (pid ${children.get(svc.name)?.child.pid})`));
  }, delay);
  pendingRestarts.add(timer);
}

async function stopAll() {
  const alive = [...children.entries()].filter(([, e]) => !e.exitInfo);
  for (const [, e] of alive) signalGroup(e.child, 'SIGTERM');
  const timedOut = Symbol('timeout');
  const results = await Promise.all(
    alive.map(async ([name, e]) => {
      const r = await Promise.race([
        e.exited,
        new Promise((res) => setTimeout(() => res(timedOut), STOP_TIMEOUT_MS).unref()),
      ]);
      if (r === timedOut) {
        console.error(red(`${name} did not stop within ${STOP_TIMEOUT_MS}ms: SIGKILL`));
        signalGroup(e.child, 'SIGKILL');
        await e.exited;
        return `${name}: killed`;
      }
      return `${name}: ${r.signal ?? `exit ${r.code}`}`;
    }),
  );
  return results;
}

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal); // the whole group (the service and anything it spawned)
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

let shutdownPromise;
let onStopped = async () => {};
/** The services' database: DATABASE_URL, or (smoke) a fresh one on the same server. */
let serviceDatabaseUrl = DATABASE_URL;
function shutdown(code) {
  if (shutdownPromise) return shutdownPromise;
  stopping = true;
  for (const timer of pendingRestarts) clearTimeout(timer);
  pendingRestarts.clear();
  shutdownPromise = (async () => {
    const alive = [...children.values()].filter((e) => !e.exitInfo).length;
    if (alive > 0) {
      console.log(bold(`stopping ${alive} service(s)…`));
      const results = await stopAll();
      console.log(`stopped: ${results.join(', ')}`);
    }
    await onStopped().catch(() => {});
    await natsCluster?.stop().catch(() => {});
    removeClosedBusTemp();
    process.exit(code);
  })();
  return shutdownPromise;
}

/** PostgreSQL and NATS+JetStream reachable? Prints one line each (with the fix when not). */
async function prerequisites() {
  const [pgResult, natsResult] = await Promise.all([checkPostgres(), checkNats()]);
  let ok = true;
  for (const r of [pgResult, natsResult]) {
    if (r.ok) console.log(`${green('✓')} ${r.what}`);
    else {
      ok = false;
      console.error(`${red('✗')} ${r.what}\n  to fix:\n${r.fix.map((l) => `    ${l}`).join('\n')}`);
    }
  }
  return ok;
}

async function check() {
  return (await prerequisites()) ? 0 : 1;
}

async function start(argv, { smoke = false } = {}) {
  const clusterAt = argv.indexOf('--nats-cluster');
  const clusterSize = clusterAt >= 0 ? Number(argv[clusterAt + 1]) : 0;
  const busFlags = ['--open-bus', '--closed-bus'];
  const unknown = argv.filter(
    (a, i) =>
      a !== '--tsx' && !busFlags.includes(a) && (clusterAt < 0 || (i !== clusterAt && i !== clusterAt + 1)),
  );
  if (unknown.length > 0) {
    console.error(`unknown argument(s): ${unknown.join(' ')}`);
    return 2;
  }
  if (clusterAt >= 0 && !(Number.isInteger(clusterSize) && clusterSize >= 1 && clusterSize <= 9)) {
    console.error(`--nats-cluster takes a node count 1…9 (got ${JSON.stringify(argv[clusterAt + 1] ?? '')})`);
    return 2;
  }
  if (argv.includes('--tsx')) runtime = 'tsx';
  if (smoke) restartOnDeath = false;
  const busFromEnv = process.env.STACK_BUS;
  if (busFromEnv && busFromEnv !== 'open' && busFromEnv !== 'closed') {
    console.error(`STACK_BUS is open or closed (got ${JSON.stringify(busFromEnv.slice(0, 20))})`);
    return 2;
  }
  if (argv.includes('--open-bus') && argv.includes('--closed-bus')) {
    console.error('--open-bus and --closed-bus: give one');
    return 2;
  }
  const closed = argv.includes('--closed-bus')
    ? true
    : argv.includes('--open-bus')
      ? false
      : busFromEnv
        ? busFromEnv === 'closed'
        : !smoke;
  const unknownServices = ONLY.filter((n) => !BASE_SERVICES.some((s) => s.name === n));
  if (unknownServices.length > 0 || (ONLY.length > 0 && SERVICES.length === 0)) {
    console.error(
      `STACK_SERVICES: unknown service(s) ${unknownServices.join(', ')} (known: ${BASE_SERVICES.map((s) => s.name).join(', ')})`,
    );
    return 2;
  }
  if (smoke && !schemaSuffix) schemaSuffix = `smoke_${process.pid}`;
  if (smoke && !process.env.STACK_PORT_OFFSET) {
    // fixed smoke ports would collide with a second smoke (another CI run) or a test's free port
    portOffset = await freePortOffset();
    SERVICES = withOffset(portOffset);
  }
  if (environmentProblem(ENVIRONMENT)) {
    console.error(
      `EDGEPLANE_ENV ${JSON.stringify(ENVIRONMENT.slice(0, 40))}: ${environmentProblem(ENVIRONMENT)}`,
    );
    return 2;
  }
  if (schemaSuffix && !/^[a-z0-9_]{1,40}$/.test(schemaSuffix)) {
    console.error(
      `STACK_SCHEMA_SUFFIX must be lower-case letters, digits and _ (got ${JSON.stringify(schemaSuffix)})`,
    );
    return 2;
  }

  // 1. Prerequisites (the NATS cluster or the closed bus's server first), and the bundles.
  if (closed) {
    try {
      await startClosedBus({ clusterSize, smoke });
    } catch (err) {
      await natsCluster?.stop().catch(() => {});
      removeClosedBusTemp();
      const hint = /in use/.test(String(err?.message))
        ? ' Is the stack already running? Try `npm run status`.'
        : '';
      console.error(red(`✗ the closed bus did not start: ${err?.message || err}.${hint}`));
      return 1;
    }
  } else if (clusterSize > 0) {
    const { startNatsCluster } = await import('./nats-cluster.mjs');
    const clientPort = Number(process.env.NATS_CLUSTER_PORT || 14222) + portOffset;
    natsCluster = await startNatsCluster({ nodes: clusterSize, clientPort, log: (m) => console.log(m) });
    NATS_URL = natsCluster.url;
    process.on('exit', () => {
      for (const n of natsCluster.nodes) n.child?.kill('SIGKILL');
    });
  }
  const prerequisitesOk = await prerequisites();
  if (prerequisitesOk && closedBus.users) {
    // services may not create streams on a closed bus: the stack does, as admin
    const { provisionStreams } = await import('./nats-auth.mjs');
    const streams = await provisionStreams(NATS_URL, closedBus.users.admin);
    console.log(`${green('✓')} streams provisioned as admin: ${streams.join(', ')}`);
  }
  if (!prerequisitesOk) {
    await natsCluster?.stop().catch(() => {});
    removeClosedBusTemp();
    console.error(
      red('\nnot starting the services: PostgreSQL and NATS (JetStream) must both be reachable.'),
    );
    return 1;
  }
  const busy = [];
  for (const s of SERVICES) if (await portInUse(s.grpcPort)) busy.push(`${s.name} (:${s.grpcPort})`);
  if (busy.length > 0) {
    console.error(
      red(
        `✗ gRPC port(s) already in use: ${busy.join(', ')}. Is the stack already running? Try \`npm run status\`.`,
      ),
    );
    return 1;
  }
  if (runtime === 'bundle' && !process.env.STACK_ENTRY) await buildIfStale();

  // 2. Services.
  if (useLocalKek()) {
    const sealed = await sealedByAnotherKek();
    if (sealed.length > 0) {
      console.error(
        red(
          `✗ this database already holds keys sealed under another key-encryption key: ${sealed.join(', ')}. ` +
            `The key just made in .edgeplane/kek cannot open them, so the cluster and tunnel services would not start.\n` +
            `  - the stack that made them is another checkout on this machine: copy its .edgeplane/kek here, or\n` +
            `  - give this stack an environment of its own: EDGEPLANE_ENV=<name> npm start (README, "Environments").`,
        ),
      );
      rmSync(path.join(REPO, '.edgeplane', 'kek'), { force: true });
      return 1;
    }
  }
  await useLocalPki();
  const runnable = SERVICES.filter((s) => existsSync(entryOf(s.name)));
  for (const s of SERVICES.filter((x) => !runnable.includes(x))) {
    console.error(red(`✗ ${s.name}: ${path.relative(REPO, entryOf(s.name))} does not exist; skipped`));
  }
  if (runnable.length === 0) return 1;
  // smoke: a database of its own, so no other work on the server (tests dropping their schemas
  // while a migration introspects the catalogue) can fail the start
  const smokeDb = smoke ? await createSmokeDatabase() : undefined;
  if (smokeDb) serviceDatabaseUrl = smokeDb.url;
  if (schemaSuffix) onStopped = () => cleanUpSideBySide(runnable, smokeDb?.name);
  process.on('SIGINT', () => (stopping ? forceKill() : void shutdown(0)));
  process.on('SIGTERM', () => void shutdown(0));
  process.on('SIGHUP', () => void shutdown(0));
  process.on('exit', () => {
    for (const e of children.values()) if (!e.exitInfo) signalGroup(e.child, 'SIGKILL');
  });
  console.log(
    bold(
      `starting ${runnable.map((s) => s.name).join(', ')} (${runtime === 'tsx' ? 'TypeScript through tsx' : 'dist/ bundles'})` +
        `${existsSync(preloadFile()) ? '' : ' (no telemetry preload yet)'}` +
        `${schemaSuffix ? ` on schemas <service>_${schemaSuffix}` : ''}` +
        `${ENVIRONMENT ? ` in environment ${ENVIRONMENT} (EDGEPLANE_ENV)` : ''}`,
    ),
  );
  runnable.forEach((s) => spawnService(s, SERVICES.indexOf(s)));

  // 3. Wait until each answers SERVING on grpc.health.v1.
  const { checkHealth } = await loadHealthClient();
  const deadline = Date.now() + START_TIMEOUT_MS;
  const last = new Map();
  for (;;) {
    const probes = await Promise.all(
      runnable.map(async (s) => [s.name, await checkHealth(`127.0.0.1:${s.grpcPort}`, { timeoutMs: 1000 })]),
    );
    for (const [name, p] of probes) last.set(name, p);
    if (stopping) return new Promise(() => {}); // shutdown() exits the process
    if (probes.every(([, p]) => p.serving) || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const rows = SERVICES.map((s) => {
    const p = last.get(s.name);
    const state = p ? (p.serving ? green('SERVING') : red(p.reason)) : red('not started (no entry file)');
    const pid = children.get(s.name)?.child.pid ?? '-';
    return [s.name, `127.0.0.1:${s.grpcPort}`, `http://127.0.0.1:${s.metricsPort}/metrics`, pid, state];
  });
  console.log('\n' + table(['SERVICE', 'GRPC', 'METRICS', 'PID', 'STATUS'], rows) + '\n');
  const notServing = runnable.filter((s) => !last.get(s.name)?.serving);
  if (notServing.length > 0) {
    console.error(
      red(
        `${notServing.map((s) => s.name).join(', ')} not SERVING after ${START_TIMEOUT_MS / 1000}s; stopping the stack`,
      ),
    );
    await shutdown(1);
  }
  if (smoke) {
    console.log(green(bold(`${runnable.length}/${SERVICES.length} services SERVING.`)) + ' Stopping them.');
    stopping = true;
    const results = await stopAll();
    console.log(`stopped: ${results.join(', ')}`);
    await onStopped();
    await natsCluster?.stop().catch(() => {});
    removeClosedBusTemp();
    const unclean = results.filter((r) => !/: (SIGTERM|exit 0)$/.test(r));
    if (unclean.length > 0) console.error(red(`did not stop cleanly: ${unclean.join(', ')}`));
    const refused = closedBus.violations.filter((v) => v.user !== 'admin');
    if (refused.length > 0) {
      console.error(red(`the closed bus refused the services ${refused.length} time(s) (see [nats] lines)`));
    } else if (closedBus.users) {
      console.log(green('closed bus: no permission violation'));
    }
    if (runnable.length < SERVICES.length || unclean.length > 0 || refused.length > 0) return 1;
    console.log(green(`smoke: the ${SERVICES.length} services started, served and stopped`));
    return 0;
  }
  startConsole(runnable);
  console.log(green(bold(`${runnable.length}/${SERVICES.length} services SERVING.`)) + ' Ctrl-C stops them.');
  return new Promise(() => {}); // run until a signal
}

/**
 * The web console (console/server/server.mjs, issue 13) on 127.0.0.1:CONSOLE_PORT (7443 +
 * STACK_PORT_OFFSET), in front of this stack's kube API; stopped with the services.
 */
function startConsole(runnable) {
  const script = path.join(REPO, 'console', 'server', 'server.mjs');
  if (!existsSync(script) || !runnable.some((s) => s.name === 'kube-api')) return;
  const port = String(Number(process.env.CONSOLE_PORT || 7443) + portOffset);
  const child = spawn(process.execPath, [script], {
    cwd: REPO,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CONSOLE_PORT: port, KUBE_API_URL: `https://127.0.0.1:${6443 + portOffset}` },
  });
  const entry = { child, exitInfo: undefined, startedAt: Date.now(), tail: [] };
  const prefix = paint(COLORS[SERVICES.length % COLORS.length], 'console'.padEnd(15) + '|');
  for (const stream of [child.stdout, child.stderr])
    readline
      .createInterface({ input: stream })
      .on('line', (line) => process.stdout.write(`${prefix} ${line}\n`));
  entry.exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve((entry.exitInfo = { code, signal }))),
  );
  children.set('console', entry);
  console.log(
    `console: ${bold(`http://127.0.0.1:${port}/`)} (log in with a kubeconfig from \`edgeplane cluster kubeconfig\`)`,
  );
}

const smoke = (argv) => start(argv, { smoke: true });

/**
 * The closed bus: users and rights for this EDGEPLANE_ENV (scripts/nats-auth.mjs; seeds kept in
 * .edgeplane/nats, a temporary directory for smoke), then its nats-server — standalone, or the
 * --nats-cluster nodes — each including the authorization block. Every permission violation the
 * server logs is echoed as a [nats] line naming the user.
 */
async function startClosedBus({ clusterSize, smoke: isSmoke }) {
  const { loadBusDeclarations, writeNatsAuth } = await import('./nats-auth.mjs');
  const { startNatsCluster } = await import('./nats-cluster.mjs');
  mkdirSync(path.join(REPO, '.edgeplane'), { recursive: true, mode: 0o700 });
  const dir = isSmoke
    ? (closedBus.tempDir = mkdtempSync(path.join(REPO, '.edgeplane', 'nats-smoke-')))
    : path.join(REPO, '.edgeplane', 'nats');
  const auth = await writeNatsAuth({ dir, env: ENVIRONMENT, declarations: await loadBusDeclarations() });
  const userByKey = new Map(Object.entries(auth.users).map(([user, u]) => [u.publicKey, user]));
  const onStderrLine = (line) => {
    const m = /(Publish|Subscription) Violation - (?:Nkey|User) "([^"]*)", Subject "([^"]*)"/.exec(line);
    if (m) {
      const user = userByKey.get(m[2]) ?? (m[2] || 'anonymous');
      closedBus.violations.push({ user, kind: m[1], subject: m[3] });
      console.error(red(`[nats] refused ${user}: ${m[1].toLowerCase()} ${m[3]}`));
    } else if (/\[(ERR|FTL)\]/.test(line) && !/authentication error|connect to route/.test(line)) {
      console.error(`[nats] ${line}`);
    }
  };
  const clientPort =
    clusterSize > 0
      ? Number(process.env.NATS_CLUSTER_PORT || 14222) + portOffset
      : Number(process.env.STACK_NATS_PORT || 4322) + portOffset;
  if (clusterSize > 0) process.env.NATS_STREAM_REPLICAS = String(Math.min(clusterSize, 3)); // provisioning
  natsCluster = await startNatsCluster({
    nodes: clusterSize || 1,
    standalone: clusterSize === 0,
    clientPort,
    // the single server keeps its JetStream store (smoke: a temporary one); a cluster's is temporary
    dir: clusterSize === 0 && !isSmoke ? path.join(dir, 'server') : undefined,
    authFile: auth.configFile,
    admin: auth.users.admin,
    onStderrLine,
    log: (m) => console.log(m),
  });
  process.on('exit', () => {
    for (const n of natsCluster.nodes) n.child?.kill('SIGKILL');
  });
  NATS_URL = natsCluster.url;
  closedBus.users = auth.users;
  console.log(
    `${green('✓')} closed bus: nats-server ${NATS_URL}, one NKEY user per service with its own subjects ` +
      `(seeds ${path.relative(REPO, dir)}/<user>.nk, mode 600${ENVIRONMENT ? `; EDGEPLANE_ENV ${ENVIRONMENT}` : ''})`,
  );
}

/** smoke --closed-bus: its seeds and authorization block go with it. */
function removeClosedBusTemp() {
  if (!closedBus.tempDir) return;
  rmSync(closedBus.tempDir, { recursive: true, force: true });
  closedBus.tempDir = undefined;
}

/** A fresh database on DATABASE_URL's server (smoke); undefined (use DATABASE_URL) if not allowed. */
async function createSmokeDatabase() {
  const name = `edgeplane_${schemaSuffix}`;
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
    const url = new URL(DATABASE_URL);
    url.pathname = `/${name}`;
    return { name, url: url.toString() };
  } catch (err) {
    console.error(
      `could not create database ${name} (${err?.message || err}); using ${redact(DATABASE_URL)}`,
    );
    return undefined;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * After a side-by-side stack (STACK_SCHEMA_SUFFIX): drop its database (smoke) or its schemas, and
 * delete its durables.
 */
async function cleanUpSideBySide(services, database) {
  const schemas = services.map((s) => inEnvironment(schemaOf(s.name)));
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  try {
    await client.connect();
    if (database) await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    else for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } catch (err) {
    console.error(
      `clean-up: could not drop ${database ? `database ${database}` : `the schemas ${schemas.join(', ')}`}: ${err?.message || err}`,
    );
  } finally {
    await client.end().catch(() => {});
  }
  const { connect } = await import('@nats-io/transport-node');
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const suffixes = services.map((s) => `-${schemaOf(s.name).replace(/_/g, '-')}`);
  let nc;
  let deleted = 0;
  try {
    nc = await connect({
      servers: NATS_URL.split(','),
      timeout: 3000,
      reconnect: false,
      ...(await busConnectOptions()),
    });
    const jsm = await jetstreamManager(nc, { timeout: 3000 });
    for await (const stream of jsm.streams.list()) {
      for await (const c of jsm.consumers.list(stream.config.name)) {
        if (suffixes.some((sfx) => c.name.endsWith(sfx))) {
          await jsm.consumers.delete(stream.config.name, c.name);
          deleted++;
        }
      }
    }
  } catch (err) {
    console.error(
      `clean-up: could not delete the durables (they expire within an hour): ${err?.message || err}`,
    );
  } finally {
    await nc?.close().catch(() => {});
  }
  console.log(
    `clean-up: dropped ${database ? `database ${database}` : `${schemas.length} schema(s)`}, deleted ${deleted} durable consumer(s)`,
  );
}

function forceKill() {
  console.error(red('second interrupt: SIGKILL'));
  for (const e of children.values()) if (!e.exitInfo) signalGroup(e.child, 'SIGKILL');
  process.exit(130);
}

// ---------------------------------------------------------------------------------------------

const [command, ...rest] = process.argv.slice(2);
const commands = { start, status, check, smoke };
if (!commands[command]) {
  console.error(
    'usage: node scripts/stack.mjs start [--tsx] [--nats-cluster N] [--open-bus] | status [--json] | check | ' +
      'smoke [--tsx] [--closed-bus]',
  );
  process.exit(2);
}
try {
  process.exitCode = await commands[command](rest);
} catch (err) {
  console.error(red(err?.stack || String(err)));
  await shutdown(1);
}
