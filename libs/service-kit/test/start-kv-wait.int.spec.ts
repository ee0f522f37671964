import net from 'node:net';
import { bucketName } from '@edgeplane/contracts';
import { createDatabase } from '@edgeplane/eventstore';
import { eventually, testBus, testServices, uniqueName, uniqueSchema } from '@edgeplane/testing';
import type { Bus } from '@edgeplane/messaging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcess, waitForStatus, type ServiceProcess } from './fixtures/process.js';
import { TcpProxy } from './fixtures/tcp-proxy.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A free port below Linux's ephemeral range (32768+): a process that waits for NATS opens a new
 * connection every reconnect, and an ephemeral port that freePort() handed out minutes earlier
 * may be one of them by the time the service binds it (EADDRINUSE on the tunnel's peer port).
 */
async function portBelowEphemeral(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}
/** a JetStream API call about a KV bucket's stream (Kvm.create asks for `KV_<bucket>`) */
const KV_REQUEST = /\$JS\.API\.STREAM\.[A-Z]+\.KV_/;

/**
 * The services that open a NATS KV bucket at start (the health-arbiter's partition leases, the
 * tunnel's route table), as real processes whose NATS goes through a TCP proxy the test cuts:
 * NATS refused at boot, and again for 8 s (longer than a request's 5 s timeout) as the bucket is
 * being created. Each must stay alive and NOT_SERVING, log that it waits and why, and come up
 * SERVING with its bucket once NATS is back, without a restart.
 */
describe('services with a KV bucket wait for NATS at start (real processes, NATS behind a cut proxy)', () => {
  const schemas: string[] = [];
  const processes: ServiceProcess[] = [];
  const proxies: TcpProxy[] = [];
  let bus: Bus;

  beforeAll(async () => {
    bus = await testBus();
  });

  afterAll(async () => {
    for (const p of processes) await p.kill();
    for (const proxy of proxies) await proxy.stop();
    await bus?.close();
    const db = createDatabase({ url: (await testServices()).databaseUrl, max: 1 });
    for (const s of schemas)
      await db.schema
        .dropSchema(s)
        .cascade()
        .execute()
        .catch(() => undefined);
    await db.destroy();
  });

  const bucketExists = (bucket: string) =>
    bus.jsm.streams.info(`KV_${bucketName(bucket)}`).then(
      () => true,
      () => false,
    );

  async function startBehindCutNats(service: 'health-arbiter' | 'tunnel', env: Record<string, string>) {
    const { databaseUrl, natsUrl } = await testServices();
    const target = new URL(natsUrl.split(',')[0]!);
    const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 4222) });
    proxies.push(proxy);
    const port = await proxy.start();
    await proxy.cut();
    let kvCut = false;
    proxy.onClientData = (chunk) => {
      if (kvCut || !KV_REQUEST.test(chunk.toString('latin1'))) return;
      kvCut = true;
      void proxy.cut().then(() => setTimeout(() => void proxy.restore(), 8_000));
    };
    const schema = uniqueSchema('t_kvw');
    schemas.push(schema);
    const proc = startProcess(
      `services/${service}/src/main.ts`,
      {
        DATABASE_URL: databaseUrl,
        NATS_URL: `nats://127.0.0.1:${port}`,
        SERVICE_SCHEMA: schema,
        METRICS_PORT: String(await portBelowEphemeral()),
        CONSUMER_START: 'new',
        ...env,
      },
      await portBelowEphemeral(),
    );
    processes.push(proc);
    return { proc, proxy, kvCut: () => kvCut };
  }

  async function waitsThenServes(
    service: 'health-arbiter' | 'tunnel',
    bucket: string,
    env: Record<string, string> = {},
  ) {
    expect(await bucketExists(bucket)).toBe(false);
    const { proc, proxy, kvCut } = await startBehindCutNats(service, env);
    // NATS refused from the start: alive, NOT_SERVING, and saying what it waits for
    await waitForStatus(proc, 'NOT_SERVING', 90_000);
    await sleep(3_000);
    expect(proc.alive()).toBe(true);
    expect(await proc.health()).toBe('NOT_SERVING');
    expect(proc.output()).toMatch(/message bus unavailable at start; waiting for it \(connect\)/);
    expect(proc.output()).not.toMatch(/failed to start/);

    // back — until the bucket request passes, which cuts it again for 8 s
    await proxy.restore();
    await eventually(() => kvCut(), 90_000, 50);
    await sleep(6_000); // past the 5 s request timeout: before, the start failed here
    expect(proc.alive()).toBe(true);
    expect(await proc.health()).toBe('NOT_SERVING');

    await waitForStatus(proc, 'SERVING', 120_000);
    const out = proc.output();
    expect(out).toContain(`"step":"KV bucket ${bucketName(bucket)}"`);
    expect(out).not.toMatch(/failed to start/);
    expect(await bucketExists(bucket)).toBe(true);
    await proc.kill();
  }

  it('health-arbiter: the partition lease bucket', async () => {
    const bucket = uniqueName('t_leases').replace(/[^A-Za-z0-9_-]/g, '_');
    await waitsThenServes('health-arbiter', bucket, { HEALTH_LEASE_BUCKET: bucket });
  }, 300_000);

  it('tunnel: the route table bucket', async () => {
    const ports = {
      join: await portBelowEphemeral(),
      tunnel: await portBelowEphemeral(),
      peer: await portBelowEphemeral(),
    };
    await waitsThenServes('tunnel', 'tunnel_routes', {
      TUNNEL_HOST: '127.0.0.1',
      TUNNEL_JOIN_PORT: String(ports.join),
      TUNNEL_PORT: String(ports.tunnel),
      TUNNEL_PEER_PORT: String(ports.peer),
    });
  }, 300_000);
});
