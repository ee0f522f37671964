/**
 * tunnel-throughput: 1 MiB HTTP bodies from a server in site B to a client in site A, through
 * agent A's proxy → gateway → agent B (every hop mutual TLS, real processes: cluster service,
 * tunnel service, two agents), against the same requests over direct loopback TCP in the same
 * run. Two proxy modes: plain HTTP (one sub-stream per request, as a browser or curl with
 * http_proxy does) and CONNECT (one sub-stream carrying keep-alive requests).
 * RESULT: MB/s of each, and ratio = tunnel / direct (goal ≥ 0.5); CPU ms per MB of each process
 * (the figure the code controls on a shared machine); the agents' VmRSS, RssAnon and PSS idle and
 * under load.
 * Env: REQUESTS (per round, default 200), CONCURRENCY (4), ROUNDS (3), MODES (proxy,connect),
 * IDLE_SECONDS (15), AGENT_NODE_FLAGS and AGENT_ENV ('K=V …') instead of edgectl's.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { joinNode, waitConnected, type JoinedNode } from '../services/tunnel/test/fixtures/agents.js';
import { Proc, REPO } from '../services/tunnel/test/fixtures/processes.js';
import { AGENT_NODE_FLAGS, AGENT_PROCESS_ENV } from '../edge/src/agent/process-limits.js';
import { startTunnelStack } from '../services/tunnel/test/fixtures/stack.js';
import { median, progress, result, round } from './util.js';

const REQUESTS = Number(process.env.REQUESTS ?? 200);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 4);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
/** which tunnel modes to measure (both by default; one alone is handy under a profiler) */
const MODES = new Set((process.env.MODES ?? 'proxy,connect').split(','));
const MiB = 1024 * 1024;
const A_IP = '127.0.0.71';
const B_IP = '127.0.0.72';

const body = Buffer.alloc(MiB, 'x');
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
await new Promise<void>((r) => server.listen(0, B_IP, r));
const port = (server.address() as net.AddressInfo).port;

progress('starting the cluster service and the tunnel gateway (processes)');
// heartbeats and probe rounds at their deployed period (10 s), not the tests' 1 s
const stack = await startTunnelStack({
  tunnelEnv: { TUNNEL_HEARTBEAT_SECONDS: '10', TUNNEL_PROBE_SECONDS: '10', TUNNEL_PROBE_TIMEOUT_MS: '2000' },
});
const { token } = await stack.newCluster('bench-tput');
const a = await joinNode({
  server: stack.tunnels[0]!.joinUrl,
  gatewayCaPem: stack.gatewayCaPem,
  token,
  name: 'tput-a',
  ip: A_IP,
});
const b = await joinNode({
  server: stack.tunnels[0]!.joinUrl,
  gatewayCaPem: stack.gatewayCaPem,
  token,
  name: 'tput-b',
  ip: B_IP,
});
// the agents as nodes run them: the bundle edgectl installs (`node agent.mjs --config …`)
// (edgectl's flags and environment unless AGENT_NODE_FLAGS says otherwise; '' = none)
const AGENT_FLAGS = (process.env.AGENT_NODE_FLAGS ?? AGENT_NODE_FLAGS.join(' ')).split(' ').filter(Boolean);
// the agents' environment: edgectl's unless AGENT_ENV='K=V K2=V2' says otherwise ('' = none)
const AGENT_ENV: Record<string, string> =
  process.env.AGENT_ENV === undefined
    ? { ...AGENT_PROCESS_ENV }
    : Object.fromEntries(
        process.env.AGENT_ENV.split(' ')
          .filter(Boolean)
          .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
      );
progress(
  `building the agent bundle; agents run with ${AGENT_FLAGS.join(' ') || 'no flags'}, env ${JSON.stringify(AGENT_ENV)}`,
);
const bundleDir = path.join(REPO, 'dist/bench/tunnel-throughput');
const bundles = '../scripts/edge-bundles.mjs';
const { buildEdgeBundles } = (await import(bundles)) as {
  buildEdgeBundles(options: { outDir: string; quiet?: boolean }): Promise<unknown>;
};
await buildEdgeBundles({ outDir: bundleDir, quiet: true });
const startBundledAgent = (node: JoinedNode) =>
  new Proc(
    `agent ${node.name}`,
    spawn(
      process.execPath,
      [...AGENT_FLAGS, path.join(bundleDir, 'agent.mjs'), '--config', node.configFile],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...AGENT_ENV } },
    ),
  );
const agents = [startBundledAgent(a), startBundledAgent(b)];
await waitConnected(a);
await waitConnected(b);
progress('agents connected');

/**
 * Memory of each agent (MB, 10^6 bytes), sampled every 100 ms, the highest seen per phase:
 * `rss` = VmRSS (what the goal is about; it counts every page of the node binary the process has
 * touched, pages shared with every other node process on the host), `anon` = RssAnon (the
 * agent's own memory), `pss` = Pss from /proc/<pid>/smaps_rollup (shared pages divided among
 * the processes sharing them: the agent's fair share of the host's memory).
 */
const memoryOf = (pid: number | undefined) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kB = (text: string, field: string) =>
    Number(new RegExp(`${field}:\\s+(\\d+)`).exec(text)?.[1] ?? NaN);
  return {
    rss: (kB(status, 'VmRSS') * 1024) / 1e6,
    anon: (kB(status, 'RssAnon') * 1024) / 1e6,
    pss: (kB(rollup, 'Pss') * 1024) / 1e6,
  };
};
type Memory = { rss: number; anon: number; pss: number };
type AgentMemory = Record<'agentA' | 'agentB', Memory>;
const agentRss: Record<string, AgentMemory> = {};
let rssPhase = 'idle';
const rssSampler = setInterval(() => {
  const none = { rss: 0, anon: 0, pss: 0 };
  const seen = (agentRss[rssPhase] ??= { agentA: { ...none }, agentB: { ...none } });
  (['agentA', 'agentB'] as const).forEach((name, i) => {
    const m = memoryOf(agents[i]!.child.pid);
    seen[name] = {
      rss: Math.max(seen[name].rss, m.rss),
      anon: Math.max(seen[name].anon, m.anon),
      pss: Math.max(seen[name].pss, m.pss),
    };
  });
}, 100);
// warm steady state: connected, desired state applied, a heartbeat and a probe round done
await new Promise((r) => setTimeout(r, Number(process.env.IDLE_SECONDS ?? 15) * 1000));
rssPhase = 'load';

/** CPU time (user + system, ms) a process has used so far: /proc/<pid>/stat, in clock ticks of 10 ms. */
function cpuMsOf(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  if (pid === process.pid) {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  }
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

type Mode = 'direct' | 'proxy' | 'connect';
const processes = (): Record<string, number | undefined> => ({
  bench: process.pid,
  gateway: stack.tunnels[0]!.child.pid,
  agentA: agents[0]!.child.pid,
  agentB: agents[1]!.child.pid,
});
/** CPU ms per MB moved, by mode and process, over the measured rounds. */
const cpu: Record<Mode, Record<string, number>> = { direct: {}, proxy: {}, connect: {} };
const moved: Record<Mode, number> = { direct: 0, proxy: 0, connect: 0 };

/** GETs `count` bodies with `CONCURRENCY` workers; returns MB/s (1 MB = 10^6 bytes). */
async function run(count: number, get: () => Promise<number>, mode?: Mode): Promise<number> {
  let left = count;
  let bytes = 0;
  const before = Object.entries(processes()).map(([name, pid]) => [name, cpuMsOf(pid)] as const);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (left-- > 0) {
        // not `bytes += await get()`: that reads `bytes` before the await, so concurrent workers
        // overwrite each other's counts and the MB/s comes out low by up to CONCURRENCY times
        const got = await get();
        bytes += got;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  if (mode) {
    moved[mode] += bytes / 1e6;
    for (const [name, was] of before)
      cpu[mode][name] = (cpu[mode][name] ?? 0) + cpuMsOf(processes()[name]) - was;
  }
  return bytes / 1e6 / seconds;
}

function fetchBody(options: http.RequestOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(options, (res) => {
      let n = 0;
      res.on('data', (d: Buffer) => (n += d.length));
      res.on('end', () =>
        res.statusCode === 200 && n === MiB
          ? resolve(n)
          : reject(new Error(`status ${res.statusCode}, ${n} bytes`)),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const directAgent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const direct = () => fetchBody({ host: B_IP, port, path: '/blob', agent: directAgent });

const proxyAgent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const viaProxy = () =>
  fetchBody({
    host: A_IP,
    port: a.ports.proxy,
    path: `http://${B_IP}:${port}/blob`,
    headers: { host: `${B_IP}:${port}` },
    agent: proxyAgent,
  });

/** An http.Agent whose connections are CONNECT tunnels through agent A's proxy (kept alive). */
const connectAgent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
Object.assign(connectAgent, {
  createConnection(_options: unknown, callback: (err: Error | null, socket?: net.Socket) => void) {
    const req = http.request({ host: A_IP, port: a.ports.proxy, method: 'CONNECT', path: `${B_IP}:${port}` });
    req.on('connect', (res, socket) =>
      res.statusCode === 200 ? callback(null, socket) : callback(new Error(`CONNECT ${res.statusCode}`)),
    );
    req.on('error', (e) => callback(e));
    req.end();
    return undefined;
  },
});
const viaConnect = () => fetchBody({ host: B_IP, port, path: '/blob', agent: connectAgent });

progress(`warm-up`);
await run(20, direct);
if (MODES.has('proxy')) await run(20, viaProxy);
if (MODES.has('connect')) await run(20, viaConnect);

const rounds = { direct: [] as number[], proxy: [] as number[], connect: [] as number[] };
for (let i = 1; i <= ROUNDS; i++) {
  rounds.direct.push(await run(REQUESTS, direct, 'direct'));
  if (MODES.has('proxy')) rounds.proxy.push(await run(REQUESTS, viaProxy, 'proxy'));
  if (MODES.has('connect')) rounds.connect.push(await run(REQUESTS, viaConnect, 'connect'));
  progress(
    `round ${i}: direct ${round(rounds.direct.at(-1)!)} MB/s, proxy (plain HTTP) ${round(rounds.proxy.at(-1) ?? NaN)} MB/s, CONNECT ${round(rounds.connect.at(-1) ?? NaN)} MB/s`,
  );
}

rssPhase = 'after';
await new Promise((r) => setTimeout(r, 200));
clearInterval(rssSampler);
const rssMB = Object.fromEntries(
  Object.entries(agentRss).map(([phase, v]) => [
    phase,
    Object.fromEntries(
      Object.entries(v).map(([name, m]) => [
        name,
        { rss: round(m.rss), anon: round(m.anon), pss: round(m.pss) },
      ]),
    ),
  ]),
);
progress(
  `agent memory (MB, highest sampled; rss = VmRSS, anon = RssAnon, pss = Pss): ${JSON.stringify(rssMB)}`,
);
const cpuPerMB = Object.fromEntries(
  (Object.keys(cpu) as Mode[])
    .filter((mode) => moved[mode] > 0)
    .map((mode) => [
      mode,
      Object.fromEntries(Object.entries(cpu[mode]).map(([name, ms]) => [name, round(ms / moved[mode], 2)])),
    ]),
);
progress(`CPU ms per MB moved: ${JSON.stringify(cpuPerMB)}`);
const d = median(rounds.direct);
const p = median(rounds.proxy);
const c = median(rounds.connect);
directAgent.destroy();
proxyAgent.destroy();
connectAgent.destroy();
server.close();
await Promise.all(agents.map((x) => x.stop()));
await stack.stop();

result({
  bench: 'tunnel-throughput',
  bodyBytes: MiB,
  requestsPerRound: REQUESTS,
  concurrency: CONCURRENCY,
  rounds: ROUNDS,
  directMBps: round(d),
  proxyMBps: round(p),
  connectMBps: round(c),
  ratio: round(p / d, 3),
  ratioConnect: round(c / d, 3),
  cpuMsPerMB: cpuPerMB,
  agentFlags: AGENT_FLAGS.join(' '),
  agentEnv: AGENT_ENV,
  agentRssMB: { idle: rssMB.idle, underLoad: rssMB.load },
  agentRssGoalMB: 60,
  goal: 'ratio >= 0.5',
});
process.exit(0);
