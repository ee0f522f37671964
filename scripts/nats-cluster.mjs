#!/usr/bin/env node
// A NATS cluster of N nodes on loopback from the Debian binary (/usr/sbin/nats-server), for the
// stack (`npm start -- --nats-cluster 3`) and the chaos bench. Each node has its own client port,
// route port and JetStream store; streams provisioned with NATS_STREAM_REPLICAS=N are replicated
// on all of them (R3 survives the loss of any one node, including the stream leader).
//   node scripts/nats-cluster.mjs up [--nodes 3] [--port 14222] [--dir <dir>]
//       runs the cluster in the foreground until Ctrl-C (prints NATS_URL); stops the nodes and
//       deletes a store dir it made itself
// As a module: `startNatsCluster({ nodes, clientPort, dir })` → { url, servers, nodes, stop() };
// each node can be killed (SIGKILL) and started again on the same store.
// Ports: node i listens for clients on clientPort+i and for routes on clientPort+100+i (defaults
// 14222… and 14322…, not 4222: the shared server keeps its port). NATS_SERVER_BIN overrides the binary.
// A closed bus (scripts/nats-auth.mjs): `authFile` is included in every node's config and `admin`
// (the admin user's { seedFile, inboxPrefix }) is how this script itself connects. `standalone`
// (one node, no cluster block) is the stack's own single server.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import readline from 'node:readline';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NATS_SERVER_BIN = process.env.NATS_SERVER_BIN || '/usr/sbin/nats-server';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function portOpen(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.setTimeout(500);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('timeout', () => (s.destroy(), resolve(false)));
    s.once('error', () => resolve(false));
  });
}

/**
 * Starts `nodes` nats-server processes forming one cluster (`edgeplane-<clusterName>`), waits until
 * each accepts clients and the JetStream meta group has a leader, and returns handles.
 */
export async function startNatsCluster({
  nodes = 3,
  clientPort = 14222,
  dir,
  clusterName = 'edgeplane',
  log = () => {},
  authFile,
  admin,
  standalone = false,
  onStderrLine,
} = {}) {
  if (standalone && nodes !== 1) throw new Error('a standalone NATS server is one node');
  if (!existsSync(NATS_SERVER_BIN)) {
    throw new Error(`${NATS_SERVER_BIN} not found (apt-get install -y nats-server, or set NATS_SERVER_BIN)`);
  }
  const ownDir = !dir;
  const root = dir ?? mkdtempSync(path.join(tmpdir(), 'edgeplane-nats-'));
  const specs = Array.from({ length: nodes }, (_, i) => ({
    name: `${clusterName}-n${i + 1}`,
    port: clientPort + i,
    routePort: clientPort + 100 + i,
    storeDir: path.join(root, `n${i + 1}`),
    configFile: path.join(root, `n${i + 1}.conf`),
  }));
  for (const s of specs) {
    if (await portOpen(s.port)) throw new Error(`port ${s.port} is in use (another NATS cluster?)`);
    if (!standalone && (await portOpen(s.routePort))) throw new Error(`route port ${s.routePort} is in use`);
  }
  const routes = specs.map((s) => `nats-route://127.0.0.1:${s.routePort}`);
  const { natsAuthInclude, natsConnectOptions } = await import('./nats-auth.mjs');
  mkdirSync(root, { recursive: true, mode: 0o700 }); // the stores hold every event
  for (const s of specs) {
    mkdirSync(s.storeDir, { recursive: true, mode: 0o700 });
    writeFileSync(
      s.configFile,
      [
        `server_name: ${s.name}`,
        `listen: 127.0.0.1:${s.port}`,
        // the bench sends events up to the limits' size; the server default (1 MiB) is kept
        `jetstream { store_dir: ${JSON.stringify(s.storeDir)} }`,
        ...(standalone
          ? []
          : [
              `cluster {`,
              `  name: ${clusterName}`,
              `  listen: 127.0.0.1:${s.routePort}`,
              `  routes: [${routes.filter((r) => !r.endsWith(`:${s.routePort}`)).join(', ')}]`,
              `}`,
            ]),
        ...(authFile ? [natsAuthInclude(path.dirname(s.configFile), authFile)] : []),
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
  }
  const connectOptions = await natsConnectOptions(admin);

  const handles = specs.map((spec) => {
    const node = {
      ...spec,
      url: `nats://127.0.0.1:${spec.port}`,
      child: undefined,
      get running() {
        return !!node.child && node.child.exitCode === null && node.child.signalCode === null;
      },
      start() {
        const child = spawn(NATS_SERVER_BIN, ['-c', spec.configFile], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let tail = '';
        child.stderr.on('data', (d) => (tail = (tail + d).slice(-2000)));
        if (onStderrLine) readline.createInterface({ input: child.stderr }).on('line', onStderrLine);
        child.once('exit', (code, signal) => {
          if (node.child === child && !node.stopping) log(`${spec.name} exited (${signal ?? code}) ${tail}`);
        });
        node.child = child;
        node.stopping = false;
        return child;
      },
      /** SIGKILL (the store stays; `start()` brings the node back on it). */
      async kill(signal = 'SIGKILL') {
        const child = node.child;
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        node.stopping = true;
        const exited = new Promise((r) => child.once('exit', r));
        child.kill(signal);
        await exited;
      },
      async waitReady(timeoutMs = 20_000) {
        const deadline = Date.now() + timeoutMs;
        while (!(await portOpen(spec.port))) {
          if (Date.now() > deadline) throw new Error(`${spec.name} did not listen on ${spec.port}`);
          await sleep(100);
        }
      },
    };
    return node;
  });

  for (const n of handles) n.start();
  await Promise.all(handles.map((n) => n.waitReady()));
  const url = handles.map((n) => n.url).join(',');
  await waitForMetaLeader(url, 30_000, connectOptions);
  log(
    standalone
      ? `NATS server ${handles[0].name} at ${url}`
      : `NATS cluster ${clusterName}: ${handles.length} nodes at ${url}`,
  );

  return {
    url,
    servers: handles.map((n) => n.url),
    nodes: handles,
    dir: root,
    byName: (name) => handles.find((n) => n.name === name),
    async stop() {
      await Promise.all(handles.map((n) => n.kill('SIGTERM')));
      if (ownDir) rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Waits until JetStream answers account info (a meta leader is elected) through any node. */
export async function waitForMetaLeader(url, timeoutMs = 30_000, connectOptions = {}) {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    let nc;
    try {
      nc = await connect({ servers: url.split(','), timeout: 2000, reconnect: false, ...connectOptions });
      const jsm = await jetstreamManager(nc, { timeout: 2000 });
      await jsm.getAccountInfo();
      return;
    } catch (error) {
      last = error;
      await sleep(250);
    } finally {
      await nc?.close().catch(() => {});
    }
  }
  throw new Error(`JetStream cluster has no meta leader after ${timeoutMs} ms: ${last?.message ?? last}`);
}

// ---------------------------------------------------------------------------------------------
// CLI

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [command, ...argv] = process.argv.slice(2);
  const flag = (name, fallback) => {
    const i = argv.indexOf(name);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
  };
  if (command !== 'up') {
    console.error('usage: node scripts/nats-cluster.mjs up [--nodes 3] [--port 14222] [--dir <dir>]');
    process.exit(2);
  }
  const nodes = Number(flag('--nodes', 3));
  const clientPort = Number(flag('--port', 14222));
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 9) {
    console.error('--nodes must be 1…9');
    process.exit(2);
  }
  const cluster = await startNatsCluster({
    nodes,
    clientPort,
    dir: flag('--dir', undefined),
    log: (m) => console.log(m),
  });
  console.log(`NATS_URL=${cluster.url} NATS_STREAM_REPLICAS=${Math.min(nodes, 3)}`);
  const stop = async () => {
    await cluster.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
