/**
 * tunnel-throughput: 1 MiB HTTP bodies from a server in site B to a client in site A, through
 * agent A's proxy → gateway → agent B (every hop mutual TLS, real processes: cluster service,
 * tunnel service, two agents), against the same requests over direct loopback TCP in the same
 * run. Two proxy modes: plain HTTP (one sub-stream per request, as a browser or curl with
 * http_proxy does) and CONNECT (one sub-stream carrying keep-alive requests).
 * RESULT: MB/s of each, and ratio = tunnel / direct (goal ≥ 0.5).
 * Env: REQUESTS (per round, default 200), CONCURRENCY (4), ROUNDS (3).
 */
import http from 'node:http';
import type net from 'node:net';
import { joinNode, startAgent, waitConnected } from '../services/tunnel/test/fixtures/agents.js';
import { startTunnelStack } from '../services/tunnel/test/fixtures/stack.js';
import { median, progress, result, round } from './util.js';

const REQUESTS = Number(process.env.REQUESTS ?? 200);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 4);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
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
const stack = await startTunnelStack();
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
const agents = [startAgent(a), startAgent(b)];
await waitConnected(a);
await waitConnected(b);
progress('agents connected');

/** GETs `count` bodies with `CONCURRENCY` workers; returns MB/s (1 MB = 10^6 bytes). */
async function run(count: number, get: () => Promise<number>): Promise<number> {
  let left = count;
  let bytes = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (left-- > 0) bytes += await get();
    }),
  );
  return bytes / 1e6 / ((performance.now() - started) / 1000);
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
await run(20, viaProxy);
await run(20, viaConnect);

const rounds = { direct: [] as number[], proxy: [] as number[], connect: [] as number[] };
for (let i = 1; i <= ROUNDS; i++) {
  rounds.direct.push(await run(REQUESTS, direct));
  rounds.proxy.push(await run(REQUESTS, viaProxy));
  rounds.connect.push(await run(REQUESTS, viaConnect));
  progress(
    `round ${i}: direct ${round(rounds.direct.at(-1)!)} MB/s, proxy (plain HTTP) ${round(rounds.proxy.at(-1)!)} MB/s, CONNECT ${round(rounds.connect.at(-1)!)} MB/s`,
  );
}

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
  goal: 'ratio >= 0.5',
});
process.exit(0);
