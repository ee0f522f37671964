/**
 * stack-idle: start-up time and idle memory of the local stack, measured the way an operator
 * starts it. Each run spawns `npm start` (override with STACK_CMD), polls grpc.health.v1 on the
 * six ports every 100 ms from the moment of the spawn until all answer SERVING (= start-up time,
 * and each service's own time to SERVING), then leaves the stack idle IDLE_S seconds (default 30)
 * and reads VmRSS / VmHWM of every service process from /proc/<pid>/status, plus the CPU time
 * each used so far (/proc/<pid>/stat). Then it stops the stack (SIGTERM to scripts/stack.mjs) and
 * waits for the ports to close.
 * Isolation: the stack's durable consumers read the shared streams, so on a bus where tests run they
 * work through every event the tests publish (seconds of CPU and 100-300 MB more in cluster,
 * nodepool and health-arbiter), which is not "idle". So the bench gives the stack a bus and a
 * database of its own: a private nats-server (JetStream, temporary store, a free port) when
 * `nats-server` is installed, and a fresh database `stack_idle_bench` on DATABASE_URL's server
 * (dropped at the end). ISOLATE=0 uses DATABASE_URL / NATS_URL as they are.
 * WARMUP runs first (default 1, not counted: migrations, tsx's transform cache, esbuild's build),
 * then RUNS measured runs (default 3); the RESULT gives the median and every run, and the load
 * average (other work on the machine slows the start-up).
 * Needs PostgreSQL (DATABASE_URL, the user may create databases) and the stack's ports free.
 * Env: RUNS, WARMUP, IDLE_S, ISOLATE, STACK_CMD (shell command; default `npm start`),
 * START_TIMEOUT_S (default 180).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { checkHealth } from '@edgeplane/proto';
import pg from 'pg';
import { median, progress, result, round } from './util.js';

const RUNS = Number(process.env.RUNS ?? 3);
const WARMUP = Number(process.env.WARMUP ?? 1);
const IDLE_S = Number(process.env.IDLE_S ?? 30);
const STACK_CMD = process.env.STACK_CMD ?? 'npm start';
const START_TIMEOUT_MS = Number(process.env.START_TIMEOUT_S ?? 180) * 1000;
const ISOLATE = process.env.ISOLATE !== '0';
const BENCH_DB = 'stack_idle_bench';
const SERVICES = [
  { name: 'cluster', port: 50051 },
  { name: 'nodepool', port: 50052 },
  { name: 'grid', port: 50053 },
  { name: 'health-arbiter', port: 50054 },
  { name: 'tunnel', port: 50055 },
  { name: 'addons', port: 50056 },
];
const CLK_TCK = 100; // USER_HZ on Linux
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------------------------------------
// /proc helpers

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

/** pid → ppid for every process. */
function processTable(): Map<number, number> {
  const table = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProc(Number(entry), 'stat');
    if (!stat) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    table.set(Number(entry), Number(fields[1]));
  }
  return table;
}

function descendants(root: number): number[] {
  const table = processTable();
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [pid, ppid] of table) {
      if (ppid === parent) {
        out.push(pid);
        queue.push(pid);
      }
    }
  }
  return out;
}

const cmdline = (pid: number) => (readProc(pid, 'cmdline') ?? '').split('\0').filter(Boolean);

function envVar(pid: number, name: string): string | undefined {
  const env = readProc(pid, 'environ');
  return env
    ?.split('\0')
    .find((kv) => kv.startsWith(`${name}=`))
    ?.slice(name.length + 1);
}

function statusKb(pid: number, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readProc(pid, 'status') ?? '');
  return m ? Number(m[1]) : NaN;
}

function cpuSeconds(pid: number): number {
  const stat = readProc(pid, 'stat') ?? '';
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime + stime
}

const threads = (pid: number) => Number(/^Threads:\s+(\d+)/m.exec(readProc(pid, 'status') ?? '')?.[1]);

// ------------------------------------------------------------------------------------------------

interface ServiceFigures {
  pid: number;
  servingMs: number;
  rssMb: number;
  hwmMb: number;
  cpuS: number;
  threads: number;
}
interface Run {
  startMs: number;
  services: Record<string, ServiceFigures>;
  totalRssMb: number;
  stackRssMb: number;
  command: string;
}

async function portsFree(): Promise<string[]> {
  const busy: string[] = [];
  for (const s of SERVICES) {
    const p = await checkHealth(`127.0.0.1:${s.port}`, { timeoutMs: 500 });
    if (p.reason !== 'connection refused') busy.push(`${s.name} :${s.port} (${p.reason})`);
  }
  return busy;
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())));
  const stack = [child.pid!, ...descendants(child.pid!)].find((pid) =>
    cmdline(pid).some((a) => a.endsWith('scripts/stack.mjs')),
  );
  if (stack) process.kill(stack, 'SIGTERM');
  else process.kill(-child.pid!, 'SIGTERM');
  const t = setTimeout(() => {
    for (const pid of descendants(child.pid!)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }, 20_000);
  await exited;
  clearTimeout(t);
  for (let i = 0; i < 100 && (await portsFree()).length > 0; i++) await sleep(200);
}

// ------------------------------------------------------------------------------------------------
// isolation: a private nats-server and a fresh database

const stackEnv: Record<string, string> = { STACK_BUS: 'open' }; // on the NATS given below, as before the closed bus
const cleanups: (() => Promise<void>)[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function isolate(): Promise<string> {
  const notes: string[] = [];
  const bin = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'].find((f) =>
    existsSync(f),
  );
  if (bin) {
    const port = await freePort();
    const store = mkdtempSync(path.join(tmpdir(), 'stack-idle-js-'));
    const nats = spawn(bin, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store], {
      stdio: 'ignore',
    });
    cleanups.push(async () => {
      nats.kill('SIGTERM');
      await new Promise((r) => (nats.exitCode !== null ? r(null) : nats.once('exit', r)));
      rmSync(store, { recursive: true, force: true });
    });
    for (let i = 0; i < 100; i++) {
      const open = await new Promise<boolean>((r) => {
        const s = net.connect(port, '127.0.0.1', () => (s.destroy(), r(true)));
        s.once('error', () => r(false));
      });
      if (open) break;
      await sleep(50);
    }
    stackEnv.NATS_URL = `nats://127.0.0.1:${port}`;
    notes.push(`private nats-server on :${port}`);
  } else {
    notes.push('no nats-server binary: the shared NATS_URL');
  }
  const base = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${BENCH_DB}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${BENCH_DB}`;
  stackEnv.DATABASE_URL = url.toString();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
    await c.end();
  });
  notes.push(`fresh database ${BENCH_DB}`);
  return notes.join(', ');
}

async function oneRun(n: number, log: string, idleS = IDLE_S): Promise<Run> {
  const out = openSync(log, 'a');
  const t0 = performance.now();
  const child = spawn('sh', ['-c', `exec ${STACK_CMD}`], {
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, ...stackEnv, NO_COLOR: '1', LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
  });
  let died = false;
  child.once('exit', () => (died = true));
  const servingAt = new Map<string, number>();
  try {
    while (servingAt.size < SERVICES.length) {
      if (died) throw new Error(`\`${STACK_CMD}\` exited before all services were SERVING (log: ${log})`);
      if (performance.now() - t0 > START_TIMEOUT_MS) {
        throw new Error(`not all SERVING after ${START_TIMEOUT_MS / 1000}s (log: ${log})`);
      }
      await Promise.all(
        SERVICES.filter((s) => !servingAt.has(s.name)).map(async (s) => {
          const p = await checkHealth(`127.0.0.1:${s.port}`, { timeoutMs: 500 });
          if (p.serving) servingAt.set(s.name, performance.now() - t0);
        }),
      );
      if (servingAt.size < SERVICES.length) await sleep(100);
    }
    const startMs = performance.now() - t0;
    progress(
      `${n ? `run ${n}` : 'warm-up'}: all six SERVING after ${round(startMs / 1000, 2)} s; idle ${idleS} s`,
    );
    await sleep(idleS * 1000);
    if (died) throw new Error(`the stack exited while idle (log: ${log})`);

    const procs = descendants(child.pid!);
    const services: Record<string, ServiceFigures> = {};
    let command = '';
    for (const s of SERVICES) {
      const pid = procs.find(
        (p) => envVar(p, 'SERVICE_NAME') === s.name && envVar(p, 'GRPC_PORT') === String(s.port),
      );
      if (!pid) throw new Error(`no process with SERVICE_NAME=${s.name} under the stack`);
      command ||= cmdline(pid)
        .map((a) => a.replace(`${process.cwd()}/`, ''))
        .join(' ');
      services[s.name] = {
        pid,
        servingMs: Math.round(servingAt.get(s.name)!),
        rssMb: round(statusKb(pid, 'VmRSS') / 1024),
        hwmMb: round(statusKb(pid, 'VmHWM') / 1024),
        cpuS: round(cpuSeconds(pid), 2),
        threads: threads(pid),
      };
    }
    const stackPid = [child.pid!, ...procs].find((p) =>
      cmdline(p).some((a) => a.endsWith('scripts/stack.mjs')),
    );
    return {
      startMs: Math.round(startMs),
      services,
      totalRssMb: round(Object.values(services).reduce((a, s) => a + s.rssMb, 0)),
      stackRssMb: stackPid ? round(statusKb(stackPid, 'VmRSS') / 1024) : NaN,
      command,
    };
  } finally {
    await stop(child);
  }
}

// ------------------------------------------------------------------------------------------------

const busy = await portsFree();
if (busy.length > 0) {
  console.error(`the stack's ports are in use: ${busy.join(', ')}. Stop the running stack first.`);
  process.exit(1);
}
const log = path.join(tmpdir(), `stack-idle-${process.pid}.log`);
const loadBefore = loadavg().map((l) => round(l, 2));
const runs: Run[] = [];
let isolation = 'shared DATABASE_URL and NATS_URL';
try {
  if (ISOLATE) isolation = await isolate();
  progress(`isolation: ${isolation}`);
  progress(
    `${WARMUP} warm-up + ${RUNS} run(s) of \`${STACK_CMD}\` on node ${process.version}; stack output → ${log}`,
  );
  for (let i = 1; i <= WARMUP; i++) {
    const warm = await oneRun(0, log);
    progress(`warm-up ${i}: start-up ${warm.startMs} ms, idle RSS total ${warm.totalRssMb} MB (not counted)`);
  }
  for (let i = 1; i <= RUNS; i++) {
    const run = await oneRun(i, log);
    runs.push(run);
    progress(`run ${i}: start-up ${run.startMs} ms, idle RSS total ${run.totalRssMb} MB (${run.command})`);
    for (const [name, s] of Object.entries(run.services)) {
      progress(
        `  ${name.padEnd(15)} SERVING at ${String(s.servingMs).padStart(6)} ms  RSS ${String(s.rssMb).padStart(6)} MB  peak ${String(s.hwmMb).padStart(6)} MB  CPU ${s.cpuS} s  threads ${s.threads}`,
      );
    }
  }
} catch (error) {
  console.error(`stack-idle: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  for (const c of cleanups.reverse()) await c().catch((e) => progress(`clean-up: ${(e as Error).message}`));
}
if (process.exitCode) process.exit(process.exitCode);

const med = (f: (r: Run) => number) => round(median(runs.map(f)), 1);
result({
  bench: 'stack-idle',
  node: process.version,
  command: STACK_CMD,
  serviceCommand: runs[0]!.command,
  runs: RUNS,
  idleSeconds: IDLE_S,
  warmupRuns: WARMUP,
  isolation,
  loadAverage: { before: loadBefore, after: loadavg().map((l) => round(l, 2)) },
  startupMs: { median: med((r) => r.startMs), all: runs.map((r) => r.startMs) },
  idleRssMb: Object.fromEntries(SERVICES.map((s) => [s.name, med((r) => r.services[s.name]!.rssMb)])),
  idleRssTotalMb: med((r) => r.totalRssMb),
  peakRssMb: Object.fromEntries(SERVICES.map((s) => [s.name, med((r) => r.services[s.name]!.hwmMb)])),
  cpuSecondsToIdle: Object.fromEntries(SERVICES.map((s) => [s.name, med((r) => r.services[s.name]!.cpuS)])),
  stackScriptRssMb: med((r) => r.stackRssMb),
});
process.exit(0);
