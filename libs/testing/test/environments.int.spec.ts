import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  GatewayCaPublished,
  busSubject,
  currentEnvironment,
  durableName,
  schemaName,
  streamName,
} from '@edgeplane/contracts';
import { checkHealth } from '@edgeplane/proto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterApi } from '../../../services/tunnel/test/fixtures/cluster-api.js';
import { startGatewayStandIn, type GatewayStandIn } from '../../../services/cluster/test/gateway-stand-in.js';
import { dropEnvironment, eventually, freePort, testBus, testServices } from '../src/index.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));

interface Stack {
  env: string;
  proc: ChildProcess;
  log: () => string;
  api: ReturnType<typeof clusterApi>;
  /** subjects seen on the whole bus under this environment's prefix */
  seen: string[];
}

/**
 * Two environments on the same NATS and PostgreSQL, each with a real cluster service on its
 * DEFAULT names (schema `cluster`, durables `cluster__…`, streams EDGEPLANE_…) — as two local
 * stacks, or the stack and a benchmark, would be. Same cluster names in both; what happens in one
 * (a command, an event another service publishes) has no effect in the other.
 */
describe('EDGEPLANE_ENV: environments sharing NATS and PostgreSQL cannot hear each other', () => {
  const envA = `${currentEnvironment() || 'iso'}-a`;
  const envB = `${currentEnvironment() || 'iso'}-b`;
  let gateway: GatewayStandIn;
  let nc: NatsConnection;
  let a: Stack;
  let b: Stack;

  async function start(env: string): Promise<Stack> {
    const { databaseUrl, natsUrl } = await testServices();
    const grpcPort = await freePort();
    const proc = spawn(process.execPath, ['--import', 'tsx', 'services/cluster/src/main.ts'], {
      cwd: REPO,
      env: {
        ...process.env,
        EDGEPLANE_ENV: env,
        DATABASE_URL: databaseUrl,
        NATS_URL: natsUrl,
        GRPC_HOST: '127.0.0.1',
        GRPC_PORT: String(grpcPort),
        METRICS_PORT: String(await freePort()),
        JOIN_SERVER_URL: gateway.url,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout!.on('data', (d) => (out += d));
    proc.stderr!.on('data', (d) => (out += d));
    const address = `127.0.0.1:${grpcPort}`;
    await eventually(
      async () => {
        if (proc.exitCode !== null) throw new Error(`cluster (${env}) exited: ${out}`);
        return (await checkHealth(address, { timeoutMs: 500 })).serving;
      },
      150_000,
      100,
    );
    const seen: string[] = [];
    nc.subscribe(busSubject('edgeplane.>', env), { callback: (_e, m) => void seen.push(m.subject) });
    return { env, proc, log: () => out, api: clusterApi(address), seen };
  }

  async function stop(s: Stack | undefined): Promise<void> {
    if (!s) return;
    s.api.close();
    if (s.proc.exitCode === null) {
      const exited = new Promise((r) => s.proc.once('exit', r));
      s.proc.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      s.proc.kill('SIGKILL');
    }
  }

  beforeAll(async () => {
    gateway = await startGatewayStandIn();
    nc = await connect({ servers: (await testServices()).natsUrl });
    [a, b] = await Promise.all([start(envA), start(envB)]);
  }, 300_000);

  afterAll(async () => {
    await Promise.all([stop(a), stop(b)]);
    await nc?.close();
    gateway?.close();
    for (const env of [envA, envB]) await dropEnvironment(env).catch(() => undefined);
  }, 60_000);

  it('each runs on its own schema, streams and durables, under the default names', async () => {
    const { databaseUrl } = await testServices();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ nspname: string }>(
        'SELECT nspname FROM pg_namespace WHERE nspname = ANY($1) ORDER BY nspname',
        [[schemaName('cluster', envA), schemaName('cluster', envB)]],
      );
      expect(rows.map((r) => r.nspname)).toEqual([schemaName('cluster', envA), schemaName('cluster', envB)]);
    } finally {
      await client.end();
    }
    const bus = await testBus();
    try {
      for (const env of [envA, envB]) {
        const info = await bus.jsm.streams.info(streamName('EDGEPLANE_CLUSTER', env));
        expect(info.config.subjects).toEqual([`${env}.edgeplane.cluster.>`]);
        const consumer = await bus.jsm.consumers.info(
          streamName('EDGEPLANE_TUNNEL', env),
          durableName('cluster__gateway-ca', env),
        );
        expect(consumer.config.filter_subject).toBe(`${env}.edgeplane.tunnel.gateway-ca.published`);
      }
    } finally {
      await bus.close();
    }
  });

  it('the same cluster name is created in both, and a command in one changes nothing in the other', async () => {
    const name = `iso-${Date.now().toString(36)}`;
    const inA = await a.api.createCluster(name);
    // not ALREADY_EXISTS: B's cluster service has never heard of A's
    const inB = await b.api.createCluster(name);
    expect(inB.id).not.toBe(inA.id);
    await eventually(() => a.seen.some((s) => s.startsWith(`${envA}.edgeplane.cluster.`)), 10_000);
    await eventually(() => b.seen.some((s) => s.startsWith(`${envB}.edgeplane.cluster.`)), 10_000);

    await a.api.deleteCluster(inA.id);
    await eventually(() => a.seen.includes(`${envA}.edgeplane.cluster.cluster.deleted`), 10_000);
    // B's cluster of the same name is untouched: it still issues join tokens
    const token = await b.api.createToken(inB.id);
    expect(token.tokenSecretText).toBeTruthy();
    expect(b.seen.some((s) => s.endsWith('.cluster.deleted'))).toBe(false);
    // and nothing of one environment was published under the other's prefix
    expect(a.seen.every((s) => s.startsWith(`${envA}.`))).toBe(true);
    expect(b.seen.every((s) => s.startsWith(`${envB}.`))).toBe(true);
  });

  it("an event published in one environment reaches that environment's consumers only", async () => {
    const name = `ca-${Date.now().toString(36)}`;
    const [ca, cb] = [await a.api.createCluster(name), await b.api.createCluster(name)];
    // Neither has seen the join server's CA published yet: no join command in either.
    expect((await a.api.createToken(ca.id)).joinCommand).toBe('');
    expect((await b.api.createToken(cb.id)).joinCommand).toBe('');

    // The tunnel of environment A publishes its gateway CA (as the tunnel service's relay would).
    const bus = await testBus();
    await bus.js.publish(busSubject(GatewayCaPublished.subject, envA), JSON.stringify(gateway.published), {
      msgID: gateway.published.id,
    });
    await bus.close();
    const withPin = await eventually(async () => {
      const t = await a.api.createToken(ca.id);
      return t.joinCommand ? t : undefined;
    }, 15_000);
    expect(withPin!.joinCommand).toContain(`EDGEPLANE_CA_HASH='${gateway.caHash}'`);

    // B's gateway-CA consumer (same durable name, same subject) never got it.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await b.api.createToken(cb.id)).joinCommand).toBe('');
    expect(b.seen.some((s) => s.includes('gateway-ca'))).toBe(false);
    expect(a.proc.exitCode).toBeNull();
    expect(b.proc.exitCode).toBeNull();
  });
});
