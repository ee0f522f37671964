/**
 * tunnel-fanin: ≥ 10,000 concurrent agent control streams on ONE gateway replica.
 *
 * The tunnel service runs as a real process (own schema). The agents are simulated by CLIENT_PROCS
 * other processes (this file in `--clients` mode), each holding its share of the streams with the
 * agent's own TunnelConnection (same keepalive, same jittered reconnect, Hello + a heartbeat every
 * 10 s; no probing, so the bytes measured are what an agent costs beyond its probe reports). Every
 * simulated node has its own client certificate, signed by a bench cluster CA, over mutual TLS.
 *
 * Shortcut: the bench writes the cluster (its CA) and the nodes (their credential serials) into the
 * gateway's directory tables itself — what the consumers would leave there after ClusterCreated,
 * NodeJoined and NodeCredentialIssued — and notifies the replica, instead of joining 10,000 nodes
 * through the cluster service (bcrypt per join) and flooding the shared streams.
 *
 * Phases: connect all → steady state (STEADY_S): bytes per agent per second on the clients' sockets
 * (/proc/<pid>/io), gateway CPU and memory per stream → reconnect storm: SIGKILL the gateway,
 * restart it, time until every stream is back → one real agent process (bundled with esbuild, as
 * edgectl installs it) connected to the same gateway: its RSS.
 * Env: NODES (10000), UNITS (100, multi-region: one unit per 100 nodes), CLIENT_PROCS (2), STEADY_S (60),
 * AGENT_NODE_FLAGS (node flags for the measured agent, e.g. "--max-semi-space-size=1"), AGENT_NODE (the node
 * binary it runs on; default this one).
 */
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as x509 from '@peculiar/x509';
import { AGENT_NODE_FLAGS, AGENT_PROCESS_ENV } from '../edge/src/agent/process-limits.js';
import { TunnelConnection } from '../edge/src/agent/tunnel-connection.js';
import { createDatabase } from '@edgeplane/eventstore';
import { checkHealth } from '@edgeplane/proto';
import { freePort, testServices, uniqueSchema } from '@edgeplane/testing';
import { sql } from 'kysely';
import { progress, result, round } from './util.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface NodeIdentity {
  name: string;
  certPem: string;
  serial: string;
}
interface Identities {
  clusterId: string;
  gatewayCaPem: string;
  keyPem: string;
  nodes: NodeIdentity[];
}

if (process.argv[2] === '--clients') await runClients();
else await main();

// ───────────────────────────── simulated agents (child process) ─────────────────────────────

async function runClients(): Promise<void> {
  const [, , , file, from, to, address] = process.argv as string[];
  const ids = JSON.parse(readFileSync(file!, 'utf8')) as Identities;
  const silent = { debug() {}, info() {}, warn() {}, error() {} };
  let connected = 0;
  let welcomes = 0;
  const nodes = ids.nodes.slice(Number(from), Number(to));
  for (const [i, node] of nodes.entries()) {
    let seq = 0;
    let timer: NodeJS.Timeout | undefined;
    const connection: TunnelConnection = new TunnelConnection(
      {
        address: address!,
        credentials: () => ({ gatewayCaPem: ids.gatewayCaPem, keyPem: ids.keyPem, certPem: node.certPem }),
        reconnect: { minMs: 250, maxMs: 3000 },
        logger: silent,
      },
      {
        hello: () => ({
          nodeName: node.name,
          agentVersion: 'bench',
          ips: [ipOf(Number(from) + i)],
          probePort: 51005,
          desiredVersion: '',
          proxyPort: 8080,
        }),
        welcomed: () => {
          connected++;
          welcomes++;
          // heartbeats every 10 s, like the agent (first one at once, then spread by the connect time)
          connection.send({
            heartbeat: { nodeName: node.name, seq: seq++, sentAt: new Date().toISOString() },
          });
          timer ??= setInterval(
            () =>
              connection.send({
                heartbeat: { nodeName: node.name, seq: seq++, sentAt: new Date().toISOString() },
              }),
            10_000,
          );
        },
        desired: () => undefined,
        openStream: () => undefined,
        disconnected: () => {
          connected--;
        },
      },
    );
    connection.start();
    if (i % 200 === 199) await sleep(20); // the first connect is paced a little; storms are not
  }
  setInterval(() => process.stdout.write(`STATS ${JSON.stringify({ connected, welcomes })}\n`), 500);
}

// ───────────────────────────── the bench (parent) ─────────────────────────────

async function main(): Promise<void> {
  const NODES = Number(process.env.NODES ?? 10_000);
  const UNITS = Number(process.env.UNITS ?? 100);
  const CLIENT_PROCS = Number(process.env.CLIENT_PROCS ?? 2);
  const STEADY_S = Number(process.env.STEADY_S ?? 60);
  const { databaseUrl, natsUrl } = await testServices();
  const schema = uniqueSchema('bench_tunnel'); // in the bench's EDGEPLANE_ENV, as the service names it
  const clusterId = `cls-fanin-${Date.now().toString(36)}`;
  const work = mkdtempSync(path.join(tmpdir(), 'tunnel-fanin-'));
  const children: ChildProcess[] = [];
  const db = createDatabase({ url: databaseUrl, max: 2 });

  const ports = {
    grpc: await freePort(),
    metrics: await freePort(),
    join: await freePort(),
    tunnel: await freePort(),
    peer: await freePort(),
  };
  const tunnelEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    NATS_URL: natsUrl,
    SERVICE_SCHEMA: schema,
    GRPC_HOST: '127.0.0.1',
    GRPC_PORT: String(ports.grpc),
    METRICS_PORT: String(ports.metrics),
    TUNNEL_HOST: '127.0.0.1',
    TUNNEL_JOIN_PORT: String(ports.join),
    TUNNEL_PORT: String(ports.tunnel),
    TUNNEL_PEER_PORT: String(ports.peer),
    TUNNEL_REPLICA_ID: 'bench-replica',
    CONSUMER_START: 'new',
    LOG_LEVEL: 'warn',
  };
  const metricsUrl = `http://127.0.0.1:${ports.metrics}/metrics`;
  let tunnel = await startTunnel();

  async function startTunnel(): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'services/tunnel/src/main.ts'], {
      cwd: REPO,
      env: tunnelEnv,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    children.push(child);
    for (;;) {
      if (child.exitCode !== null) throw new Error('the tunnel service exited');
      if ((await checkHealth(`127.0.0.1:${ports.grpc}`, { timeoutMs: 500 })).serving) return child;
      await sleep(100);
    }
  }

  const metric = async (name: string): Promise<number> => {
    const text = await (await fetch(metricsUrl)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
    return line ? Number(line.split(' ').pop()) : NaN;
  };
  const rssOf = (pid: number) =>
    Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;
  const cpuOf = (pid: number) => {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  };
  const ioOf = (pid: number) => {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    return Number(/rchar: (\d+)/.exec(io)?.[1]) + Number(/wchar: (\d+)/.exec(io)?.[1]);
  };

  try {
    // 1. identities: a cluster CA and one certificate per node (one key pair shared, to save time)
    progress(`signing ${NODES} node certificates`);
    const ids = await makeIdentities(clusterId, NODES);
    ids.gatewayCaPem = await gatewayCa(ports.join);
    const idsFile = path.join(work, 'identities.json');
    writeFileSync(idsFile, JSON.stringify(ids));

    // 2. the directory as the consumers would leave it
    progress('writing the directory (cluster, multi-region units, nodes) and notifying the gateway');
    const clusterCa = ids.caPem;
    await sql`INSERT INTO ${sql.id(schema, 'proj_tunnel_clusters')} (cluster_id, name, ca_cert_pem, remote_login_pos)
              VALUES (${clusterId}, ${clusterId}, ${clusterCa}, 1)`.execute(db);
    await sql`INSERT INTO ${sql.id(schema, 'proj_tunnel_health_scopes')} (cluster_id, multi_region, multi_region_pos)
              VALUES (${clusterId}, true, 1)`.execute(db);
    for (let i = 0; i < NODES; i += 1000) {
      const slice = ids.nodes.slice(i, i + 1000);
      await sql`INSERT INTO ${sql.id(schema, 'proj_tunnel_nodes')}
                  (cluster_id, node, present, ips, units, credential_serial, presence_pos, credential_pos, units_pos)
                SELECT ${clusterId}, n, true, ARRAY[ip], ARRAY['unit-node-all', u], s, 1, 2, 1
                FROM unnest(${slice.map((n) => n.name)}::text[], ${slice.map((_, k) => ipOf(i + k))}::text[],
                            ${slice.map((_, k) => `unit-${(i + k) % UNITS}`)}::text[], ${slice.map((n) => n.serial)}::text[]) AS x(n, ip, u, s)`.execute(
        db,
      );
    }
    await sql`SELECT pg_notify(${`${schema}_directory`}, ${JSON.stringify({ c: clusterId })})`.execute(db);
    await sleep(1500);
    const rss0 = rssOf(tunnel.pid!);
    const heap0 = await metric('nodejs_heap_size_used_bytes');

    // 3. connect every simulated agent
    progress(`starting ${CLIENT_PROCS} client processes for ${NODES} agents`);
    const per = Math.ceil(NODES / CLIENT_PROCS);
    const stats = new Map<number, { connected: number; welcomes: number }>();
    const clients: ChildProcess[] = [];
    for (let p = 0; p < CLIENT_PROCS; p++) {
      const child = spawn(
        process.execPath,
        [
          '--max-old-space-size=4096',
          '--import',
          'tsx',
          SELF,
          '--clients',
          idsFile,
          String(p * per),
          String(Math.min(NODES, (p + 1) * per)),
          `127.0.0.1:${ports.tunnel}`,
        ],
        { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      children.push(child);
      clients.push(child);
      readline.createInterface({ input: child.stdout! }).on('line', (line) => {
        if (line.startsWith('STATS ')) stats.set(p, JSON.parse(line.slice(6)));
      });
    }
    const connectedNow = () => [...stats.values()].reduce((a, s) => a + s.connected, 0);
    const started = Date.now();
    await waitFor(
      async () => (await metric('tunnel_connected_nodes')) >= NODES && connectedNow() >= NODES,
      600_000,
      (s) => progress(`  ${connectedNow()} agents connected after ${s} s`),
    );
    const connectAllS = (Date.now() - started) / 1000;
    progress(`all ${NODES} connected in ${round(connectAllS)} s`);

    // 4. steady state
    progress(`settling 15 s, then measuring ${STEADY_S} s of steady state`);
    await sleep(15_000);
    const io0 = clients.map((c) => ioOf(c.pid!));
    const cpu0 = cpuOf(tunnel.pid!);
    const hb0 = await metricSum(metricsUrl, 'tunnel_signals_published_total');
    const t0 = performance.now();
    await sleep(STEADY_S * 1000);
    const secs = (performance.now() - t0) / 1000;
    const io1 = clients.map((c) => ioOf(c.pid!));
    const cpu1 = cpuOf(tunnel.pid!);
    const hb1 = await metricSum(metricsUrl, 'tunnel_signals_published_total');
    const rssN = rssOf(tunnel.pid!);
    const heapN = await metric('nodejs_heap_size_used_bytes');
    // stdout STATS lines of the clients are counted too (a few bytes a second each): subtract them
    const statsBytes = CLIENT_PROCS * (secs / 0.5) * 40;
    const bytesPerAgentPerS =
      (io1.reduce((a, b) => a + b, 0) - io0.reduce((a, b) => a + b, 0) - statsBytes) / NODES / secs;
    const steady = {
      bytesPerAgentPerSecond: round(bytesPerAgentPerS, 2),
      kbitPerAgentPerSecond: round((bytesPerAgentPerS * 8) / 1000, 3),
      heartbeatsPublishedPerSecond: round((hb1 - hb0) / secs),
      gatewayCpuPercent: round(((cpu1 - cpu0) / secs) * 100),
      gatewayRssMB: round(rssN / 1e6),
      memoryPerStreamKB: round((rssN - rss0) / NODES / 1024, 2),
      heapPerStreamKB: round((heapN - heap0) / NODES / 1024, 2),
    };
    progress(`steady: ${JSON.stringify(steady)}`);

    // 5. reconnect storm
    progress('reconnect storm: SIGKILL the gateway, restart it');
    tunnel.kill('SIGKILL');
    await new Promise((r) => tunnel.once('exit', r));
    await waitFor(async () => connectedNow() === 0, 60_000);
    const restartAt = Date.now();
    tunnel = await startTunnel();
    const servingAt = Date.now();
    await waitFor(
      async () => (await metric('tunnel_connected_nodes')) >= NODES && connectedNow() >= NODES,
      600_000,
      (s) => progress(`  ${connectedNow()} back after ${s} s`),
    );
    const backAt = Date.now();
    const storm = {
      restartToServingS: round((servingAt - restartAt) / 1000, 2),
      servingToAllBackS: round((backAt - servingAt) / 1000, 2),
      killToAllBackS: round((backAt - restartAt) / 1000, 2),
    };
    progress(`storm: ${JSON.stringify(storm)}`);

    // 6. one real agent, bundled as edgectl installs it: its memory
    progress('one real agent (esbuild bundle) connected to the same gateway: RSS');
    const agentRss = await measureAgent(ids, ports.tunnel, work, children);
    progress(`agent RSS: ${JSON.stringify(agentRss)}`);

    for (const c of clients) c.kill('SIGKILL');
    result({
      bench: 'tunnel-fanin',
      streams: NODES,
      clientProcesses: CLIENT_PROCS,
      connectAllSeconds: round(connectAllS, 1),
      ...steady,
      goalKbitPerAgent: 0.25,
      ...storm,
      agentRssMB: agentRss.bundledMB,
      agentRssTsxMB: agentRss.tsxMB,
      goalAgentRssMB: 60,
    });
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(db).catch(() => undefined);
    await db.destroy();
    rmSync(work, { recursive: true, force: true });
  }
  process.exit(0);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, tick?: (seconds: number) => void) {
  const started = Date.now();
  let lastTick = started;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() - started > timeoutMs) throw new Error(`not reached within ${timeoutMs} ms`);
    if (tick && Date.now() - lastTick > 5000) {
      lastTick = Date.now();
      tick(Math.round((Date.now() - started) / 1000));
    }
    await sleep(100);
  }
}

async function metricSum(url: string, name: string): Promise<number> {
  const text = await (await fetch(url)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .reduce((a, l) => a + Number(l.split(' ').pop()), 0);
}

function ipOf(i: number): string {
  return `10.${100 + Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}`;
}

/** GET /v1/join/ca (the bench trusts its own gateway; nodes pin it by hash). */
async function gatewayCa(port: number): Promise<string> {
  const https = await import('node:https');
  return new Promise((resolve, reject) =>
    https
      .get(`https://127.0.0.1:${port}/v1/join/ca`, { rejectUnauthorized: false }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d));
        res.on('end', () => resolve(text));
      })
      .on('error', reject),
  );
}

async function makeIdentities(clusterId: string, count: number): Promise<Identities & { caPem: string }> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const caKeys = (await webcrypto.subtle.generateKey(alg, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const notBefore = new Date(Date.now() - 3600_000);
  const notAfter = new Date(Date.now() + 86400_000);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=edgeplane-ca-${clusterId}, O=edgeplane`,
    notBefore,
    notAfter,
    signingAlgorithm: alg,
    keys: caKeys,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
  });
  const nodeKeys = (await webcrypto.subtle.generateKey(alg, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', nodeKeys.privateKey));
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END PRIVATE KEY-----\n`;
  const nodes: NodeIdentity[] = [];
  for (let i = 0; i < count; i++) {
    const serial = `7${i.toString(16).padStart(15, '0')}`;
    const name = `fanin-${String(i).padStart(5, '0')}`;
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial,
      subject: `CN=system:node:${name}, O=system:nodes`,
      issuer: ca.subject,
      notBefore,
      notAfter,
      publicKey: nodeKeys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: alg,
      extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])],
    });
    nodes.push({ name, certPem: cert.toString('pem'), serial });
    if (i % 2000 === 1999) progress(`  ${i + 1} certificates`);
  }
  return { clusterId, caPem: ca.toString('pem'), gatewayCaPem: '', keyPem, nodes };
}

/** RSS of one agent process: bundled (what edgectl installs) and, for reference, under tsx. */
async function measureAgent(
  ids: Identities,
  tunnelPort: number,
  work: string,
  children: ChildProcess[],
): Promise<{ bundledMB: number | null; tsxMB: number }> {
  // the node the real agent speaks for: the last simulated one, whose stream it supersedes
  const node = ids.nodes[ids.nodes.length - 1]!;
  const home = path.join(work, 'agent-home');
  mkdirSync(path.join(home, 'state'), { recursive: true });
  writeFileSync(path.join(home, 'node.key'), ids.keyPem, { mode: 0o600 });
  writeFileSync(path.join(home, 'node.crt'), node.certPem);
  writeFileSync(path.join(home, 'gateway-ca.crt'), ids.gatewayCaPem);
  const config = path.join(home, 'agent.json');
  writeFileSync(
    config,
    JSON.stringify({
      clusterId: ids.clusterId,
      nodeName: node.name,
      tunnelAddress: `127.0.0.1:${tunnelPort}`,
      listen: { host: '127.0.0.1', proxyPort: 0, probePort: 0, statusPort: 0 },
      logLevel: 'warn',
    }),
  );
  const rssAfter = async (args: string[], node = process.execPath) => {
    const child = spawn(node, args, {
      cwd: REPO,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, ...AGENT_PROCESS_ENV },
    });
    children.push(child);
    await sleep(20_000);
    const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]) * 1024;
    child.kill('SIGTERM');
    return round(rss / 1e6);
  };
  let bundledMB: number | null = null;
  try {
    // dist/bench/agent/ is three levels below the repository, as libs/proto/src is: the proto
    // loader finds proto/ the same way from the bundle
    const out = path.join(REPO, 'dist/bench/agent/agent.mjs');
    const { build } = await import('esbuild');
    await build({
      entryPoints: [path.join(REPO, 'edge/src/agent/main.ts')],
      outfile: out,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'silent',
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
    });
    // edgectl's flags unless AGENT_NODE_FLAGS says otherwise ('' = none)
    const flags = (process.env.AGENT_NODE_FLAGS ?? AGENT_NODE_FLAGS.join(' ')).split(' ').filter(Boolean);
    bundledMB = await rssAfter(
      [...flags, out, '--config', config],
      process.env.AGENT_NODE ?? process.execPath,
    );
  } catch (error) {
    progress(`  could not bundle the agent (${(error as Error).message}); reporting tsx only`);
  }
  const tsxMB = await rssAfter(['--import', 'tsx', 'edge/src/agent/main.ts', '--config', config]);
  return { bundledMB, tsxMB };
}
