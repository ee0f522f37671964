#!/usr/bin/env node
// The closed bus: one NATS user per service (an NKEY each), with per-subject rights, for the
// nats-server the stack runs (`npm start`, `--nats-cluster N`) and for the bus-forgery test.
//   node scripts/nats-auth.mjs generate [--dir .edgeplane/nats] [--env E]
//       writes (or keeps) one NKEY seed per user in <dir>/<user>.nk (mode 0600) and the server's
//       `authorization` block in <dir>/auth.conf (mode 0600; public keys and rights only), and
//       prints each user's seed file and inbox prefix — never a seed
// As a module: `writeNatsAuth({ dir, env, declarations })`, `busPermissions(...)`,
// `loadBusDeclarations()` (the streams and public event subjects, read from libs/contracts),
// `provisionStreams(url, user)` (every declared stream and the services' KV buckets created with the
// admin credential: services may not create or change streams on a closed bus),
// `natsConnectOptions(user)`.
//
// Who may do what (EDGEPLANE_ENV applies to every subject, stream and bucket name):
//   service user   publishes its own event subjects only (the relay; `edgeplane.<svc>.>`), the
//                  tunnel also `edgeplane.signal.>` (heartbeats, probe reports); dead letters
//                  (`edgeplane.dlq.>`); JetStream API: account info, stream info of what it reads,
//                  consumer create/info/next/delete and acks on those streams, the DLQ's message
//                  get/delete (admin service), its KV bucket (tunnel_routes, health_partition_leases:
//                  read and written, not created);
//                  subscribes only to its own inboxes `_INBOX_<user>.>` (NATS_INBOX_PREFIX)
//   subscriber     subscribes to the public event subjects (libs/contracts PUBLIC_EVENTS) and its
//                  inboxes, and keeps durable consumers of its own, one per public subject
//                  (`subscriberDurable`: name and filter fixed); publishes no subject
//   admin          everything (the stack itself: stream provisioning, clean-up; operators)
// Nobody but admin may create or update a domain stream: a stream's configuration could republish
// what it stores onto another subject (as the server, past every user's publish rights).
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_NATS_AUTH_DIR = path.join(REPO, '.edgeplane/nats');

/**
 * The services' rights, by stream key of libs/contracts STREAMS: `publishes` (the relay's event
 * streams; whose subjects it may publish), `reads` (streams it consumes or watches; every service
 * also reads the DLQ), `buckets` (NATS KV buckets it creates and uses).
 */
export const SERVICE_USERS = {
  cluster: { publishes: ['CLUSTER'], reads: ['CLUSTER', 'NODEPOOL', 'HEALTH', 'TUNNEL'] },
  nodepool: { publishes: ['NODEPOOL'], reads: ['NODEPOOL', 'CLUSTER', 'HEALTH'] },
  grid: { publishes: ['GRID'], reads: ['GRID', 'CLUSTER', 'NODEPOOL', 'HEALTH', 'TUNNEL'] },
  'health-arbiter': {
    publishes: ['HEALTH'],
    reads: ['HEALTH', 'SIGNALS', 'CLUSTER', 'NODEPOOL'],
    buckets: ['health_partition_leases'],
  },
  tunnel: {
    publishes: ['TUNNEL', 'SIGNALS'],
    reads: ['TUNNEL', 'CLUSTER', 'NODEPOOL', 'HEALTH', 'GRID', 'SIGNALS'],
    buckets: ['tunnel_routes'],
  },
  addons: { publishes: [], reads: [] },
  // TUNNEL: the agents' pod reports, for pod watches (a pod's readiness)
  'kube-api': { publishes: [], reads: ['CLUSTER', 'NODEPOOL', 'HEALTH', 'GRID', 'TUNNEL'] },
  // the public event API: ordered consumers over the streams holding public events (no publish)
  events: { publishes: [], reads: ['CLUSTER', 'NODEPOOL', 'HEALTH', 'GRID'] },
};
/** Read-only users of the public events (an events service, an outside subscriber). */
export const SUBSCRIBER_USERS = ['subscriber'];
export const ADMIN_USER = 'admin';
export const allBusUsers = (subscribers = SUBSCRIBER_USERS) => [
  ...Object.keys(SERVICE_USERS),
  ...subscribers,
  ADMIN_USER,
];

/**
 * The durable consumer a subscriber user may keep for one public event subject (declared, e.g.
 * `edgeplane.health.node.verdict-changed`), on the server: `[<env>_]<user>__<subject after
 * "edgeplane." with "." as "-">` — filtered to that subject, on the stream holding it.
 */
export function subscriberDurable(user, logicalSubject, env = '') {
  const slug = logicalSubject.replace(/^edgeplane\./, '').replace(/\./g, '-');
  if (!/^[a-z0-9-]+$/.test(slug))
    throw new Error(`public subject ${JSON.stringify(logicalSubject)}: not a plain subject`);
  return `${env ? `${env}_` : ''}${user}__${slug}`;
}

/** The declared stream whose subjects cover a declared subject. */
function streamOf(declarations, logicalSubject) {
  const found = Object.values(declarations.streams).find((d) =>
    d.subjects.some((p) =>
      p.endsWith('.>') ? logicalSubject.startsWith(p.slice(0, -1)) : p === logicalSubject,
    ),
  );
  if (!found) throw new Error(`no stream covers the public subject ${logicalSubject}`);
  return found;
}

/** The inbox prefix a user may subscribe to (the client's NATS_INBOX_PREFIX). */
export const inboxPrefixOf = (user) => `_INBOX_${user.replace(/[^A-Za-z0-9_-]/g, '_')}`;

const USER_NAME = /^[a-z][a-z0-9-]{0,39}$/;
const ENV_NAME = /^[a-z][a-z0-9-]{0,23}$/;

/**
 * Each user's `{ publish: { allow }, subscribe: { allow } }` (admin: everything). `declarations`:
 * `{ streams: { KEY: { name, subjects } }, publicSubjects: string[] }` (loadBusDeclarations).
 */
export function busPermissions({ env = '', declarations, subscribers = SUBSCRIBER_USERS }) {
  if (env && !ENV_NAME.test(env))
    throw new Error(`environment ${JSON.stringify(env)} is not a valid EDGEPLANE_ENV`);
  const subject = (s) => (env ? `${env}.${s}` : s);
  const stream = (n) => (env ? `${env}_${n}` : n);
  const bucket = (b) => (env ? `${env}_${b}` : b);
  const decl = (key) => {
    const d = declarations.streams[key];
    if (!d) throw new Error(`no stream ${key} in the declarations`);
    return d;
  };
  const dlq = decl('DEAD_LETTER');
  const readRights = (s) => [
    `$JS.API.STREAM.INFO.${s}`,
    `$JS.API.CONSUMER.CREATE.${s}`,
    `$JS.API.CONSUMER.CREATE.${s}.>`,
    `$JS.API.CONSUMER.DURABLE.CREATE.${s}.*`,
    `$JS.API.CONSUMER.INFO.${s}.*`,
    `$JS.API.CONSUMER.MSG.NEXT.${s}.*`,
    `$JS.API.CONSUMER.DELETE.${s}.*`,
    `$JS.ACK.${s}.>`,
  ];
  const permissions = {};
  for (const [user, spec] of Object.entries(SERVICE_USERS)) {
    const publish = new Set(['$JS.API.INFO']);
    for (const key of spec.publishes) for (const s of decl(key).subjects) publish.add(subject(s));
    for (const s of dlq.subjects) publish.add(subject(s)); // dead letters of its consumers
    for (const key of new Set([...spec.reads, 'DEAD_LETTER'])) {
      for (const r of readRights(stream(decl(key).name))) publish.add(r);
    }
    // the admin service: list (above), show and delete dead letters
    const dlqStream = stream(dlq.name);
    for (const r of [
      `$JS.API.STREAM.MSG.GET.${dlqStream}`,
      `$JS.API.STREAM.MSG.DELETE.${dlqStream}`,
      `$JS.API.DIRECT.GET.${dlqStream}`,
      `$JS.API.DIRECT.GET.${dlqStream}.>`,
    ])
      publish.add(r);
    for (const b of spec.buckets ?? []) {
      const kvStream = `KV_${bucket(b)}`;
      for (const r of [
        // opened, not created: the stack provisions the bucket (provisionBuckets)
        ...readRights(kvStream),
        `$JS.API.STREAM.MSG.GET.${kvStream}`,
        `$JS.API.DIRECT.GET.${kvStream}`,
        `$JS.API.DIRECT.GET.${kvStream}.>`,
        `$KV.${bucket(b)}.>`,
      ])
        publish.add(r);
    }
    permissions[user] = {
      publish: { allow: [...publish] },
      subscribe: { allow: [`${inboxPrefixOf(user)}.>`] },
    };
  }
  for (const user of subscribers) {
    if (!USER_NAME.test(user) || user === ADMIN_USER || SERVICE_USERS[user]) {
      throw new Error(`subscriber user ${JSON.stringify(user)}: lower-case name, not a service's or admin`);
    }
    // its own durable consumers: one per public subject, named for it, filtered to exactly it
    // (the filter is part of the create request's subject, so the server holds it to that)
    const publish = new Set(['$JS.API.INFO']);
    for (const logical of declarations.publicSubjects) {
      const s = stream(streamOf(declarations, logical).name);
      const durable = subscriberDurable(user, logical, env);
      for (const r of [
        `$JS.API.STREAM.INFO.${s}`,
        `$JS.API.CONSUMER.CREATE.${s}.${durable}.${subject(logical)}`,
        `$JS.API.CONSUMER.INFO.${s}.${durable}`,
        `$JS.API.CONSUMER.DELETE.${s}.${durable}`,
        `$JS.API.CONSUMER.MSG.NEXT.${s}.${durable}`,
        `$JS.ACK.${s}.${durable}.>`,
      ])
        publish.add(r);
    }
    permissions[user] = {
      publish: { allow: [...publish] },
      subscribe: {
        allow: [...new Set(declarations.publicSubjects.map(subject)), `${inboxPrefixOf(user)}.>`],
      },
    };
  }
  permissions[ADMIN_USER] = { publish: { allow: ['>'] }, subscribe: { allow: ['>'] } };
  return permissions;
}

/**
 * The seed of `user` in `dir` (made on first use, mode 0600) and its public key. The seed file
 * holds one line; nothing else ever prints it.
 */
async function userKey(dir, user) {
  const { createUser, fromSeed } = await import('@nats-io/nkeys');
  const seedFile = path.join(dir, `${user}.nk`);
  if (!existsSync(seedFile)) {
    const kp = createUser();
    writeFileSync(seedFile, `${new TextDecoder().decode(kp.getSeed())}\n`, { mode: 0o600 });
  }
  chmodSync(seedFile, 0o600);
  const seed = readFileSync(seedFile, 'utf8').trim();
  let publicKey;
  try {
    publicKey = fromSeed(new TextEncoder().encode(seed)).getPublicKey();
  } catch {
    throw new Error(`${seedFile}: not an NKEY user seed (delete it to make a new one)`);
  }
  if (!publicKey.startsWith('U')) throw new Error(`${seedFile}: not an NKEY user seed`);
  return { seedFile, publicKey };
}

/** One nats-server config value: a JSON string (the config format reads JSON strings). */
const q = (s) => JSON.stringify(s);

/**
 * Writes the seeds (kept when present) and `<dir>/auth.conf` (the `authorization` block to
 * `include` in a server config), both 0600 in a 0700 directory. Returns the file and, per user,
 * `{ seedFile, inboxPrefix, publicKey }` and the environment a process of that user needs.
 */
export async function writeNatsAuth({ dir = DEFAULT_NATS_AUTH_DIR, env = '', declarations, subscribers }) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const permissions = busPermissions({ env, declarations, subscribers });
  const users = {};
  const entries = [];
  for (const [user, rights] of Object.entries(permissions)) {
    const { seedFile, publicKey } = await userKey(dir, user);
    const inboxPrefix = inboxPrefixOf(user);
    users[user] = {
      seedFile,
      inboxPrefix,
      publicKey,
      env: { NATS_NKEY_SEED_FILE: seedFile, NATS_INBOX_PREFIX: inboxPrefix },
    };
    entries.push(
      [
        `    # ${user}`,
        `    { nkey: ${q(publicKey)}, permissions: {`,
        `        publish: { allow: [${rights.publish.allow.map(q).join(', ')}] }`,
        `        subscribe: { allow: [${rights.subscribe.allow.map(q).join(', ')}] }`,
        `    } }`,
      ].join('\n'),
    );
  }
  const configFile = path.join(dir, 'auth.conf');
  writeFileSync(
    configFile,
    [
      `# Generated by scripts/nats-auth.mjs${env ? ` for EDGEPLANE_ENV=${env}` : ''}: one NKEY user per`,
      '# service, per-subject rights. Public keys only; the seeds are the <user>.nk files beside it.',
      'authorization {',
      '  users = [',
      entries.join('\n'),
      '  ]',
      '}',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  chmodSync(configFile, 0o600);
  return { dir, configFile, users };
}

/** The config line including `authFile` from a config file in `configDir` (includes are relative). */
export const natsAuthInclude = (configDir, authFile) => `include ${q(path.relative(configDir, authFile))}`;

/**
 * A nats-server config (to be written in `configDir`) running JetStream in `storeDir` on
 * 127.0.0.1:`port`, closed by `authFile`.
 */
export function natsServerConfig({ port, storeDir, authFile, configDir, serverName = 'edgeplane' }) {
  return [
    `server_name: ${q(serverName)}`,
    `listen: ${q(`127.0.0.1:${port}`)}`,
    `jetstream { store_dir: ${q(storeDir)} }`,
    natsAuthInclude(configDir, authFile),
    '',
  ].join('\n');
}

/** Connect options of a user (its seed file and inbox prefix) for @nats-io/transport-node. */
export async function natsConnectOptions(user) {
  if (!user) return {};
  const { nkeyAuthenticator } = await import('@nats-io/transport-node');
  const seed = readFileSync(user.seedFile, 'utf8').trim();
  return { authenticator: nkeyAuthenticator(new TextEncoder().encode(seed)), inboxPrefix: user.inboxPrefix };
}

/**
 * The streams (STREAMS) and the subjects of the public events, read from libs/contracts (through
 * tsx: the declarations stay in one place).
 */
export async function loadBusDeclarations() {
  const { tsImport } = await import('tsx/esm/api');
  const contracts = await tsImport('../libs/contracts/src/index.ts', import.meta.url);
  const publicTypes = Object.keys(contracts.PUBLIC_EVENTS ?? {});
  const publicSubjects = [];
  for (const type of publicTypes) {
    try {
      publicSubjects.push(contracts.catalogue.get(type).subject);
    } catch {
      /* a public type without a catalogue entry: nothing to subscribe to */
    }
  }
  return { streams: contracts.STREAMS, publicSubjects: [...new Set(publicSubjects)].sort() };
}

/**
 * Creates or updates every declared stream with the admin credential (NATS_STREAM_REPLICAS of
 * this process applies), as the services would on an open bus.
 */
export async function provisionStreams(url, admin) {
  const { tsImport } = await import('tsx/esm/api');
  const { ensureStream } = await tsImport('../libs/messaging/src/provisioning.ts', import.meta.url);
  const { STREAMS } = await tsImport('../libs/contracts/src/index.ts', import.meta.url);
  const { connect } = await import('@nats-io/transport-node');
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const nc = await connect({
    servers: url.split(','),
    timeout: 5000,
    reconnect: false,
    name: 'stack-provisioning',
    ...(await natsConnectOptions(admin)),
  });
  try {
    const jsm = await jetstreamManager(nc, { timeout: 10_000 });
    for (const decl of Object.values(STREAMS)) await ensureStream(jsm, decl);
    const buckets = await provisionBuckets(nc);
    return [...Object.values(STREAMS).map((s) => s.name), ...buckets.map((b) => `KV ${b}`)];
  } finally {
    await nc.close().catch(() => {});
  }
}

/**
 * The services' KV buckets as each creates them by default (tunnel: routes, TTL
 * TUNNEL_ROUTE_TTL_SECONDS, replicated like the streams; health-arbiter: partition leases, TTL
 * HEALTH_LEASE_TTL_MS). On a closed bus they only open them: a bucket is a stream, and whoever may
 * create or update a stream could make it republish onto any subject.
 */
export const BUS_BUCKETS = {
  tunnel_routes: (e) => ({
    ttl: Number(e.TUNNEL_ROUTE_TTL_SECONDS || 60) * 1000,
    history: 1,
    replicas: Number(e.NATS_STREAM_REPLICAS || 1),
  }),
  health_partition_leases: (e) => ({ ttl: Number(e.HEALTH_LEASE_TTL_MS || 10_000), history: 1 }),
};

/** Creates the buckets of BUS_BUCKETS in `env` (an existing one is kept as it is); their names. */
export async function provisionBuckets(
  nc,
  { env = process.env.EDGEPLANE_ENV || '', processEnv = process.env } = {},
) {
  const { Kvm } = await import('@nats-io/kv');
  const kvm = new Kvm(nc);
  const names = [];
  for (const [logical, options] of Object.entries(BUS_BUCKETS)) {
    const name = env ? `${env}_${logical}` : logical;
    await kvm.create(name, options(processEnv));
    names.push(name);
  }
  return names;
}

// ---------------------------------------------------------------------------------------------
// CLI

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [command, ...argv] = process.argv.slice(2);
  const flag = (name, fallback) => {
    const i = argv.indexOf(name);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
  };
  if (command !== 'generate') {
    console.error('usage: node scripts/nats-auth.mjs generate [--dir .edgeplane/nats] [--env E]');
    process.exit(2);
  }
  const dir = path.resolve(flag('--dir', DEFAULT_NATS_AUTH_DIR));
  const env = flag('--env', process.env.EDGEPLANE_ENV || '');
  const result = await writeNatsAuth({ dir, env, declarations: await loadBusDeclarations() });
  console.log(`authorization block: ${result.configFile} (include it in the nats-server config)`);
  for (const [user, u] of Object.entries(result.users)) {
    console.log(`${user.padEnd(16)} NATS_NKEY_SEED_FILE=${u.seedFile} NATS_INBOX_PREFIX=${u.inboxPrefix}`);
  }
}
