/**
 * The chaos bench's own infrastructure: a PostgreSQL 15 cluster of its own (pg_createcluster, so
 * restarting it or cutting a database off touches nobody else's work), the 3-node NATS cluster
 * (scripts/nats-cluster.mjs) and the six services as separate processes (the dist/ bundles, as
 * `npm start` runs them, or the TypeScript sources through tsx), each on its own database, killable
 * and restartable.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, type WriteStream } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { checkHealth } from '@edgeplane/proto';
import { freePort } from '@edgeplane/testing';
import pg from 'pg';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------------------------------------
// PostgreSQL of its own

export class ChaosPostgres {
  readonly url: string;
  constructor(
    readonly name: string,
    readonly port: number,
    readonly version = '15',
  ) {
    this.url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  }

  urlOf(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  private ctl(action: string, ...extra: string[]) {
    return run('pg_ctlcluster', ['--skip-systemctl-redirect', ...extra, this.version, this.name, action]);
  }

  /** Drops a leftover cluster of the same name, creates it (trust on loopback) and starts it. */
  async create(): Promise<void> {
    await run('pg_dropcluster', ['--stop', this.version, this.name]).catch(() => undefined);
    await run('pg_createcluster', [
      this.version,
      this.name,
      '-p',
      String(this.port),
      '-o',
      'max_connections=300',
      '--',
      '--auth-local=trust',
      '--auth-host=trust',
    ]);
    await this.ctl('start');
    await this.waitReady();
  }

  async waitReady(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await this.query('SELECT 1');
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(200);
      }
    }
  }

  /** One statement on a short-lived connection (to `database`, default postgres). */
  async query<R extends object = Record<string, unknown>>(
    text: string,
    params: unknown[] = [],
    database = 'postgres',
  ): Promise<R[]> {
    const client = new pg.Client({ connectionString: this.urlOf(database), connectionTimeoutMillis: 3000 });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return (await client.query<R>(text, params)).rows;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async createDatabase(name: string): Promise<string> {
    await this.query(`CREATE DATABASE "${name}"`);
    return this.urlOf(name);
  }

  /** A crash and a start: `stop -m immediate` (no checkpoint, like a power cut of the server), then start. */
  async restart(downMs: number): Promise<void> {
    await this.ctl('stop', '--', '-m', 'immediate').catch(() => this.ctl('stop'));
    await sleep(downMs);
    await this.ctl('start');
    await this.waitReady();
  }

  /**
   * Cuts one database off for `ms`: no new connection is allowed (ALLOW_CONNECTIONS false) and
   * every open one is terminated, repeatedly; then connections are allowed again.
   * Returns the number of backends terminated.
   */
  async cutDatabase(database: string, ms: number): Promise<number> {
    await this.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS false`);
    let terminated = 0;
    const until = Date.now() + ms;
    try {
      while (Date.now() < until) {
        const rows = await this.query<{ ok: boolean }>(
          `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
          [database],
        );
        terminated += rows.filter((r) => r.ok).length;
        await sleep(250);
      }
    } finally {
      await this.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS true`);
    }
    return terminated;
  }

  async drop(): Promise<void> {
    await run('pg_dropcluster', ['--stop', this.version, this.name]).catch(() => undefined);
  }
}

/**
 * A TCP proxy in front of PostgreSQL for one service: `cut(ms)` drops every open connection and
 * resets each new one until the time is up, as a network partition between the service and its
 * database would.
 */
export class CuttableProxy {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private cutUntil = 0;
  port = 0;

  constructor(private readonly upstreamPort: number) {}

  async start(): Promise<number> {
    this.server = net.createServer((client) => {
      if (Date.now() < this.cutUntil) {
        client.resetAndDestroy();
        return;
      }
      const upstream = net.connect({ host: '127.0.0.1', port: this.upstreamPort });
      for (const [a, b] of [
        [client, upstream],
        [upstream, client],
      ] as const) {
        this.sockets.add(a);
        a.on('error', () => b.destroy());
        a.on('close', () => {
          this.sockets.delete(a);
          b.destroy();
        });
        a.pipe(b);
      }
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  /** Drops every connection and refuses new ones for `ms`; returns how many were dropped. */
  async cut(ms: number): Promise<number> {
    this.cutUntil = Date.now() + ms;
    const dropped = this.sockets.size / 2;
    for (const s of this.sockets) s.resetAndDestroy();
    await sleep(ms);
    return dropped;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => this.server?.close(r) ?? r(undefined));
  }
}

// ------------------------------------------------------------------------------------------------
// Services

export const SERVICE_NAMES = ['cluster', 'nodepool', 'health-arbiter', 'grid', 'tunnel', 'addons'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface ServiceProcess {
  name: ServiceName;
  database: string;
  grpcPort: number;
  env: Record<string, string>;
  child?: ChildProcess;
  /** deaths the bench did not cause (each one is restarted and reported) */
  unexpectedExits: { at: string; code: number | null; signal: string | null; tail: string }[];
  killedByBench: boolean;
  log: WriteStream;
  tail: string;
}

export class ServiceSet {
  readonly services = new Map<ServiceName, ServiceProcess>();
  private stopping = false;

  constructor(
    private readonly repo: string,
    private readonly logDir: string,
    private readonly onEvent: (message: string) => void,
    /** 'bundle': dist/services/<svc>.mjs, as `npm start` runs them; 'tsx': the TypeScript sources */
    private readonly runtime: 'bundle' | 'tsx' = 'bundle',
  ) {
    mkdirSync(logDir, { recursive: true });
  }

  async add(
    name: ServiceName,
    database: string,
    databaseUrl: string,
    natsUrl: string,
    extra: Record<string, string>,
  ) {
    const grpcPort = await freePort();
    const env: Record<string, string> = {
      DATABASE_URL: databaseUrl,
      NATS_URL: natsUrl,
      NATS_STREAM_REPLICAS: '3',
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: String(grpcPort),
      METRICS_PORT: String(await freePort()),
      LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? 'warn',
      ...extra,
    };
    this.services.set(name, {
      name,
      database,
      grpcPort,
      env,
      unexpectedExits: [],
      killedByBench: false,
      log: createWriteStream(path.join(this.logDir, `${name}.log`), { flags: 'a' }),
      tail: '',
    });
    return this.services.get(name)!;
  }

  address(name: ServiceName): string {
    return `127.0.0.1:${this.services.get(name)!.grpcPort}`;
  }

  start(name: ServiceName): void {
    const svc = this.services.get(name)!;
    const args =
      this.runtime === 'tsx'
        ? ['--import', 'tsx', `services/${name}/src/main.ts`]
        : [`dist/services/${name}.mjs`];
    const child = spawn(process.execPath, args, {
      cwd: this.repo,
      env: { ...process.env, ...svc.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    svc.killedByBench = false;
    svc.child = child;
    const onData = (d: Buffer) => {
      svc.log.write(d);
      svc.tail = (svc.tail + d.toString('utf8')).slice(-1500);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      if (svc.child !== child || svc.killedByBench || this.stopping) return;
      svc.unexpectedExits.push({ at: new Date().toISOString(), code, signal, tail: svc.tail.slice(-600) });
      this.onEvent(`${name} died on its own (${signal ?? `exit ${code}`}); restarting it`);
      setTimeout(() => {
        if (!this.stopping) this.start(name);
      }, 1000);
    });
  }

  async waitServing(name: ServiceName, timeoutMs = 90_000): Promise<number> {
    const t0 = Date.now();
    const deadline = t0 + timeoutMs;
    for (;;) {
      const h = await checkHealth(this.address(name), { timeoutMs: 1000 });
      if (h.serving) return Date.now() - t0;
      if (Date.now() > deadline) {
        throw new Error(
          `${name} not SERVING after ${timeoutMs} ms (${h.reason}); log tail:\n${this.services.get(name)!.tail}`,
        );
      }
      await sleep(250);
    }
  }

  /** SIGKILL; resolves once the process is gone. */
  async kill(name: ServiceName): Promise<void> {
    const svc = this.services.get(name)!;
    const child = svc.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    svc.killedByBench = true;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      [...this.services.values()].map(async (svc) => {
        const child = svc.child;
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await gone;
        clearTimeout(timer);
      }),
    );
    for (const svc of this.services.values()) svc.log.end();
  }

  /** Every service still alive (for the exit handler). */
  killAllNow(): void {
    for (const svc of this.services.values()) svc.child?.kill('SIGKILL');
  }
}

/** Lines of a service's log that mention an error (for the report). */
export function errorLines(logFile: string, max = 5): string[] {
  try {
    return readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((l) => /"level":(50|60)/.test(l))
      .slice(-max)
      .map((l) => l.slice(0, 400));
  } catch {
    return [];
  }
}
