import { fileURLToPath } from 'node:url';
import { schemaName } from '@edgeplane/contracts';
import { createDatabase } from '@edgeplane/eventstore';
import { JetStreamConsumers } from '@edgeplane/messaging';
import { checkHealth } from '@edgeplane/proto';
import { eventually, freePort, TEST_STREAM, testServices, uniqueName } from '@edgeplane/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { bootstrapService, type RunningService } from '../src/index.js';
import { consumed, ProbeModule } from './fixtures/probe.module.js';
import { TcpProxy } from './fixtures/tcp-proxy.js';

const PROTO = fileURLToPath(new URL('./fixtures/probe.proto', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * NATS away at start, through a real TCP proxy to the real NATS that the test cuts: the service
 * (the kit's bootstrap with a durable consumer) neither exits nor serves — its gRPC port answers
 * NOT_SERVING — and once NATS is back it comes up SERVING by itself and its consumer handles an
 * event. Two moments: NATS refused from the first connect, and NATS lost while the consumers'
 * durables are being provisioned (the proxy cuts as the first consumer request passes).
 */
describe('service kit: NATS away at start is waited for (real NATS behind a cut proxy)', () => {
  const started: RunningService[] = [];
  const proxies: TcpProxy[] = [];

  afterAll(async () => {
    for (const svc of started) await svc.stop();
    for (const proxy of proxies) await proxy.stop();
    const db = createDatabase({ url: (await testServices()).databaseUrl, max: 1 });
    for (const svc of started)
      await db.schema
        .dropSchema(svc.store.schema)
        .cascade()
        .execute()
        .catch(() => undefined);
    await db.destroy();
  });

  async function boot(natsUrl: string) {
    const { databaseUrl } = await testServices();
    const grpcPort = await freePort();
    let settled = false;
    let failure: unknown;
    const booting = bootstrapService(
      {
        name: 'probe',
        schema: schemaName(uniqueName('t_buswait')),
        module: ProbeModule,
        grpcPackages: ['edgeplane.probe.v1'],
        protoFiles: [PROTO],
        streams: [TEST_STREAM],
      },
      {
        DATABASE_URL: databaseUrl,
        NATS_URL: natsUrl,
        GRPC_PORT: String(grpcPort),
        METRICS_PORT: String(await freePort()),
        GRPC_HOST: '127.0.0.1',
        LOG_LEVEL: 'fatal',
      },
    ).then(
      (svc) => {
        started.push(svc);
        return svc;
      },
      (error: unknown) => {
        failure = error;
        throw error;
      },
    );
    booting.catch(() => undefined).finally(() => (settled = true));
    return { booting, grpcAddress: `127.0.0.1:${grpcPort}`, state: () => ({ settled, failure }) };
  }

  /**
   * Appends a probe event; the relay publishes it and the kit's consumer handles it. The service
   * stops after (its consumer would also take the next test's events).
   */
  async function consumerHandlesAnEvent(svc: RunningService) {
    const streamId = uniqueName('probe-stream');
    await svc.store.append(streamId, 'any', [{ type: 'ProbeRecorded', data: { seq: 1 } }]);
    await eventually(() => consumed.some((e) => e.streamId === streamId), 30_000, 100);
    // one runner: the start ran the providers' bootstrap hooks once
    expect(svc.app.get(JetStreamConsumers).runners).toHaveLength(1);
    await svc.stop();
  }

  async function proxyToNats(): Promise<{ proxy: TcpProxy; url: string }> {
    const { natsUrl } = await testServices();
    const target = new URL(natsUrl.split(',')[0]!);
    const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 4222) });
    proxies.push(proxy);
    const port = await proxy.start();
    return { proxy, url: `nats://127.0.0.1:${port}` };
  }

  it('NATS refused at the first connect: NOT_SERVING and alive while it is away, SERVING and consuming once back', async () => {
    const { proxy, url } = await proxyToNats();
    await proxy.cut();
    const boot1 = await boot(url);
    await sleep(4_000);
    // still waiting, not failed (before: the first connectBus threw "connection refused")
    expect(boot1.state()).toEqual({ settled: false, failure: undefined });
    const waiting = await checkHealth(boot1.grpcAddress, { timeoutMs: 5_000 });
    expect(waiting.status).toBe('NOT_SERVING');

    await proxy.restore();
    const svc = await boot1.booting;
    await eventually(
      async () => (await checkHealth(boot1.grpcAddress, { timeoutMs: 5_000 })).serving,
      30_000,
      200,
    );
    await consumerHandlesAnEvent(svc);
  }, 120_000);

  it('NATS lost while the durable consumers are provisioned: waits (a timeout is not fatal), then serves and consumes', async () => {
    const { proxy, url } = await proxyToNats();
    let cuts = 0;
    proxy.onClientData = (chunk) => {
      // the first consumer request of the start (ensureConsumer's info); 8 s > the 5 s request timeout
      if (cuts > 0 || !chunk.includes('$JS.API.CONSUMER.')) return;
      cuts++;
      void proxy.cut().then(() => setTimeout(() => void proxy.restore(), 8_000));
    };
    const boot2 = await boot(url);
    await eventually(() => cuts === 1, 60_000, 50);
    await sleep(6_000); // past the request timeout: before, the start failed with TimeoutError here
    expect(boot2.state()).toEqual({ settled: false, failure: undefined });
    expect((await checkHealth(boot2.grpcAddress, { timeoutMs: 5_000 })).status).toBe('NOT_SERVING');

    const svc = await boot2.booting;
    await eventually(
      async () => (await checkHealth(boot2.grpcAddress, { timeoutMs: 5_000 })).serving,
      30_000,
      200,
    );
    await consumerHandlesAnEvent(svc);
  }, 120_000);
});
