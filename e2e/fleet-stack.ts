import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaName } from '@edgeplane/contracts';
import { createDatabase } from '@edgeplane/eventstore';
import { checkHealth } from '@edgeplane/proto';
import { eventually, freePort, testServices, uniqueName } from '@edgeplane/testing';
import { sql } from 'kysely';

/**
 * The cloud side of a simulated fleet for tests: cluster, nodepool, health-arbiter and tunnel as
 * real processes (`node --import tsx services/<svc>/src/main.ts`), each on its own schema and
 * ports, set up the way `node scripts/fleet.mjs env` says — the join server and the tunnel where
 * the fleet's hosts reach them (the bridge address), fast heartbeats and probes. The tunnel can be
 * stopped (SIGTERM or SIGKILL) and started again (same schema, ports and CA), and a second tunnel
 * replica can join it (same schema, its own ports): the deployed shape, where a replica that does
 * not hold a node forwards to the one that does.
 */
export const REPO = fileURLToPath(new URL('..', import.meta.url));
const CLI = fileURLToPath(new URL('../cli/bin/edgeplane.mjs', import.meta.url));
const FLEET = fileURLToPath(new URL('../scripts/fleet.mjs', import.meta.url));
export const CLOUD = '10.210.0.1';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

type ServiceName = 'cluster' | 'nodepool' | 'health-arbiter' | 'tunnel' | 'grid' | 'kube-api';

class ServiceProcess {
  child?: ChildProcess;
  readonly log: string[] = [];
  constructor(
    readonly name: ServiceName,
    readonly grpcPort: number,
    readonly env: Record<string, string>,
  ) {}

  async start(): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', `services/${this.name}/src/main.ts`], {
      cwd: REPO,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (d: Buffer) => {
      this.log.push(String(d));
      if (this.log.length > 500) this.log.splice(0, 250);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`${this.name} exited (${child.exitCode})`);
        return (await checkHealth(`127.0.0.1:${this.grpcPort}`, { timeoutMs: 500 })).serving;
      },
      90_000,
      200,
    ).catch((error) => {
      child.kill('SIGKILL'); // a service that never served is not left behind
      throw new Error(
        `${this.name} did not become SERVING: ${(error as Error).message}\n${this.log.join('')}`,
      );
    });
  }

  /** Its gRPC address (health, and for the tunnel RemoteAccessService). */
  get grpcAddress(): string {
    return `127.0.0.1:${this.grpcPort}`;
  }

  get metricsUrl(): string {
    return `http://127.0.0.1:${this.env.METRICS_PORT}/metrics`;
  }

  /** SIGTERM (a clean shutdown, SIGKILL after 10 s) or SIGKILL at once (a crash). */
  stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill(signal);
    });
  }
}

export interface FleetStack {
  /** EDGEPLANE_<SVC>_ADDR for the CLI (and so for scripts/fleet.mjs) */
  cliEnv: Record<string, string>;
  joinUrl: string;
  /** with `kubeApi: true`: the front door's base URL and its serving CA (for the console server) */
  kubeApi?: { url: string; caFile: string };
  tunnel: ServiceProcess;
  /** Starts another tunnel replica on the same schema (own ports, own replica id; agents never dial it). */
  addTunnelReplica(): Promise<ServiceProcess>;
  cli(...args: string[]): Promise<Run>;
  /** the CLI with `input` on its stdin */
  cliWithInput(input: string, ...args: string[]): Promise<Run>;
  /** the CLI with some of its env replaced (e.g. EDGEPLANE_TUNNEL_ADDR of another replica) */
  cliWithEnv(env: Record<string, string>, input: string | undefined, ...args: string[]): Promise<Run>;
  cliJson<T = unknown>(...args: string[]): Promise<T>;
  fleet(...args: string[]): Promise<Run>;
  logs(): string;
  stop(): Promise<void>;
}

/**
 * `grid: true` also starts the grid service (after the tunnel, which provisions the GRID stream it
 * consumes): grids, their pods' placement and NodePodsAssigned, what the agents run.
 */
export async function startFleetStack(
  options: { grid?: boolean; kubeApi?: boolean } = {},
): Promise<FleetStack> {
  const { databaseUrl, natsUrl } = await testServices();
  const ports = {
    join: await freePort(),
    tunnel: await freePort(),
    peer: await freePort(),
    kubeApi: await freePort(),
  };
  // kubeApi: the Kubernetes API front door (after grid), its serving CA in a temp dir, and the
  // cluster service issuing kubeconfigs that name it (`edgeplane cluster kubeconfig`)
  const kubeApiPki = mkdtempSync(path.join(tmpdir(), 'edgeplane-fleet-kube-api-'));
  const joinUrl = `https://${CLOUD}:${ports.join}`;
  const base = (svc: ServiceName, schema: string, grpcPort: number, metricsPort: number) => ({
    DATABASE_URL: databaseUrl,
    NATS_URL: natsUrl,
    SERVICE_SCHEMA: schema,
    GRPC_HOST: '127.0.0.1',
    GRPC_PORT: String(grpcPort),
    METRICS_PORT: String(metricsPort),
    CONSUMER_START: 'new',
    LOG_LEVEL: 'warn',
    SERVICE_NAME: svc,
  });
  const services: ServiceProcess[] = [];
  const schemas: string[] = [];
  const schemaOf: Partial<Record<ServiceName, string>> = {};
  const cliEnv: Record<string, string> = {};
  const extra: Record<ServiceName, Record<string, string>> = {
    cluster: {
      JOIN_SERVER_URL: joinUrl,
      ...(options.kubeApi
        ? {
            CLUSTER_APISERVER_URL: `https://127.0.0.1:${ports.kubeApi}/k8s/clusters/{clusterId}`,
            CLUSTER_APISERVER_CA_FILE: path.join(kubeApiPki, 'serving-ca.crt'),
          }
        : {}),
    },
    nodepool: {},
    'health-arbiter': { HEALTH_TICK_MS: '200' },
    tunnel: {},
    grid: { GRID_ROLLOUT_TICK_MS: '1000' },
    'kube-api': {
      KUBE_API_PORT: String(ports.kubeApi),
      KUBE_API_PKI_DIR: kubeApiPki,
      KUBE_API_CACHE_SECONDS: '1',
    },
  };
  // cluster first: its GatewayCaPublished consumer (starting at the stream's end) must be there
  // when the tunnel publishes its new CA
  const names: ServiceName[] = ['cluster', 'nodepool', 'health-arbiter', 'tunnel'];
  if (options.grid || options.kubeApi) names.push('grid');
  if (options.kubeApi) names.push('kube-api');
  for (const svc of names) {
    // in this process's EDGEPLANE_ENV, if any (the services keep a schema already in it); short,
    // so that an environment's prefix still fits PostgreSQL's name length
    const schema = schemaName(
      uniqueName(`fleet_${svc === 'health-arbiter' ? 'health' : svc.replace(/-/g, '_')}`),
    );
    schemas.push(schema);
    schemaOf[svc] = schema;
    const grpcPort = await freePort();
    const env = { ...base(svc, schema, grpcPort, await freePort()), ...extra[svc] };
    if (svc === 'kube-api') {
      Object.assign(env, {
        KUBE_API_CLUSTER_ADDR: cliEnv.EDGEPLANE_CLUSTER_ADDR!,
        KUBE_API_NODEPOOL_ADDR: cliEnv.EDGEPLANE_NODEPOOL_ADDR!,
        KUBE_API_GRID_ADDR: cliEnv.EDGEPLANE_GRID_ADDR!,
        KUBE_API_TUNNEL_ADDR: cliEnv.EDGEPLANE_TUNNEL_ADDR!,
        KUBE_API_HEALTH_ADDR: cliEnv.EDGEPLANE_HEALTH_ARBITER_ADDR!,
      });
    }
    if (svc === 'tunnel') {
      Object.assign(env, {
        TUNNEL_HOST: '0.0.0.0',
        TUNNEL_JOIN_PORT: String(ports.join),
        TUNNEL_PORT: String(ports.tunnel),
        TUNNEL_PEER_PORT: String(ports.peer),
        TUNNEL_PUBLIC_ADDRESS: `${CLOUD}:${ports.tunnel}`,
        TUNNEL_PUBLIC_HOSTS: `${CLOUD},127.0.0.1,localhost`,
        TUNNEL_REPLICA_ID: `fleet-e2e-${process.pid}`,
        TUNNEL_CLUSTER_ADDR: cliEnv.EDGEPLANE_CLUSTER_ADDR!,
        TUNNEL_EDGECTL_PATH: `${REPO}dist/edge/edgectl.mjs`,
        TUNNEL_AGENT_PATH: `${REPO}dist/edge/agent.mjs`,
        TUNNEL_HEARTBEAT_SECONDS: '1',
        TUNNEL_PROBE_SECONDS: '1',
        TUNNEL_PROBE_TIMEOUT_MS: '500',
      });
    }
    const proc = new ServiceProcess(svc, grpcPort, env);
    services.push(proc);
    await proc.start().catch(async (error: unknown) => {
      await Promise.all(services.map((x) => x.stop())); // those started before it
      throw error;
    });
    cliEnv[`EDGEPLANE_${svc.toUpperCase().replace(/-/g, '_')}_ADDR`] = `127.0.0.1:${grpcPort}`;
  }
  // The join command needs the gateway CA the tunnel just published: wait until the cluster
  // service has it (through the tunnel's outbox relay and the cluster's consumer).
  const db = createDatabase({ url: databaseUrl, max: 1 });
  try {
    await eventually(
      async () =>
        Number(
          (
            await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.id(schemas[0]!, 'gateway_cas')}`.execute(
              db,
            )
          ).rows[0]!.n,
        ) > 0,
      60_000,
      200,
    ).catch(async () => {
      const logs = services.map((x) => x.log.join('')).join('\n');
      await Promise.all(services.map((x) => x.stop()));
      throw new Error(`the cluster service never got the tunnel's GatewayCaPublished\n${logs}`);
    });
  } finally {
    await db.destroy();
  }

  const exec = (
    file: string,
    args: string[],
    timeoutMs: number,
    input?: string,
    env: Record<string, string> = {},
  ) =>
    new Promise<Run>((resolve) => {
      const child = execFile(
        process.execPath,
        [file, ...args],
        { cwd: REPO, env: { ...process.env, ...cliEnv, ...env }, timeout: timeoutMs, maxBuffer: 16 << 20 },
        (error, stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      );
      if (input !== undefined) child.stdin!.end(input);
    });
  const cli = (...args: string[]) => exec(CLI, args, 60_000);
  const tunnel = services.find((s) => s.name === 'tunnel')!;
  let replicas = 1;
  return {
    cliEnv,
    joinUrl,
    ...(options.kubeApi
      ? {
          kubeApi: {
            url: `https://127.0.0.1:${ports.kubeApi}`,
            caFile: path.join(kubeApiPki, 'serving-ca.crt'),
          },
        }
      : {}),
    tunnel,
    async addTunnelReplica() {
      const n = ++replicas;
      const grpcPort = await freePort();
      const peerPort = await freePort();
      const env: Record<string, string> = {
        ...tunnel.env,
        ...base('tunnel', schemaOf.tunnel!, grpcPort, await freePort()),
        TUNNEL_HOST: '127.0.0.1',
        TUNNEL_JOIN_PORT: String(await freePort()),
        TUNNEL_PORT: String(await freePort()),
        TUNNEL_PEER_PORT: String(peerPort),
        TUNNEL_PEER_ADVERTISE: `127.0.0.1:${peerPort}`,
        TUNNEL_REPLICA_ID: `${tunnel.env.TUNNEL_REPLICA_ID}-${n}`,
      };
      delete env.TUNNEL_PUBLIC_ADDRESS; // nothing dials it: 127.0.0.1:<its TUNNEL_PORT>
      const replica = new ServiceProcess('tunnel', grpcPort, env);
      services.push(replica);
      await replica.start();
      return replica;
    },
    cli,
    cliWithInput: (input: string, ...args: string[]) => exec(CLI, args, 60_000, input),
    cliWithEnv: (env: Record<string, string>, input: string | undefined, ...args: string[]) =>
      exec(CLI, args, 60_000, input, env),
    async cliJson<T>(...args: string[]) {
      const r = await cli(...args, '-o', 'json');
      if (r.code !== 0) throw new Error(`edgeplane ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
      return JSON.parse(r.stdout) as T;
    },
    fleet: (...args: string[]) => exec(FLEET, args, 300_000),
    logs: () => services.map((s) => s.log.join('')).join('\n'),
    async stop() {
      await Promise.all(services.map((s) => s.stop()));
      const db = createDatabase({ url: databaseUrl, max: 1 });
      for (const s of schemas)
        await sql`DROP SCHEMA IF EXISTS ${sql.id(s)} CASCADE`.execute(db).catch(() => undefined);
      await db.destroy();
      rmSync(kubeApiPki, { recursive: true, force: true });
    },
  };
}

/** What a host's agent says on its status port (edge/src/agent/status-server.ts). */
export interface HostAgentStatus {
  pid: number;
  connected: boolean;
  desired: null | {
    version: string;
    source: 'cache' | 'cloud';
    peers: { name: string }[];
    remoteLogin?: boolean;
  };
  heartbeatsSent: number;
}

export function hostAgentStatus(address: string, port = 51010): Promise<HostAgentStatus | undefined> {
  return new Promise((resolve) => {
    const req = http.get({ host: address, port, path: '/status', agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        try {
          resolve(JSON.parse(body) as HostAgentStatus);
        } catch {
          resolve(undefined);
        }
      });
    });
    req.on('error', () => resolve(undefined));
    req.setTimeout(1500, () => req.destroy());
  });
}

/** Why this machine cannot run the fleet, or undefined when it can (root and `ip netns`). */
export function fleetUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'the simulated fleet needs root (network namespaces)';
  const r = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  if (r.error || r.status !== 0)
    return `\`ip netns\` is not available here (${r.error?.message ?? r.stderr.trim()})`;
  return undefined;
}

export { receiveAll, relayOpen, remoteAccess, sendAll, type RelayCall } from '@edgeplane/testing';

/** One metric's value on a /metrics page, summed over the samples whose labels contain `labels`. */
export async function metricValue(metricsUrl: string, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (!(rest.startsWith(' ') || rest.startsWith('{'))) continue;
    if (labels && !rest.includes(labels)) continue;
    total += Number(line.split(' ').pop());
  }
  return total;
}
