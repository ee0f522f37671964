import { fileURLToPath } from 'node:url';
import { schemaName } from '@edgeplane/contracts';
import { checkHealth } from '@edgeplane/proto';
import { TEST_STREAM, freePort, testServices, uniqueName } from '@edgeplane/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { bootstrapService, type RunningService } from '../src/index.js';
import { ProbeModule } from './fixtures/probe.module.js';
import { TcpProxy } from './fixtures/tcp-proxy.js';

const PROTO = fileURLToPath(new URL('./fixtures/probe.proto', import.meta.url));

/**
 * PostgreSQL away at start (a real TCP proxy to the real PostgreSQL, cut: connections refused):
 * the service waits and retries the migration instead of failing, and serves once it is back.
 */
describe('service kit: PostgreSQL down at start is waited for (real PostgreSQL behind a cut proxy)', () => {
  let svc: RunningService | undefined;
  let proxy: TcpProxy | undefined;
  const schema = schemaName(uniqueName('t_start'));

  afterAll(async () => {
    await svc?.db.schema
      .dropSchema(schema)
      .cascade()
      .execute()
      .catch(() => undefined);
    await svc?.stop();
    await proxy?.cut();
  });

  it('bootstrap waits for a refused database and serves after it is back', async () => {
    const { databaseUrl, natsUrl } = await testServices();
    const pgUrl = new URL(databaseUrl);
    proxy = new TcpProxy({ host: pgUrl.hostname, port: Number(pgUrl.port || 5432) });
    const port = await proxy.start();
    await proxy.cut();
    pgUrl.host = `127.0.0.1:${port}`;
    const grpcPort = await freePort();
    let settled = false;
    const booting = bootstrapService(
      {
        name: 'probe',
        schema,
        module: ProbeModule,
        grpcPackages: ['edgeplane.probe.v1'],
        protoFiles: [PROTO],
        streams: [TEST_STREAM],
      },
      {
        DATABASE_URL: pgUrl.toString(),
        NATS_URL: natsUrl,
        GRPC_PORT: String(grpcPort),
        METRICS_PORT: String(await freePort()),
        GRPC_HOST: '127.0.0.1',
        LOG_LEVEL: 'fatal',
      },
    ).finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(settled).toBe(false); // still waiting, not failed
    // and the port already answers: alive, not serving
    expect((await checkHealth(`127.0.0.1:${grpcPort}`, { timeoutMs: 5_000 })).status).toBe('NOT_SERVING');
    await proxy.restore();
    svc = await booting;
    const probe = await checkHealth(`127.0.0.1:${grpcPort}`, { timeoutMs: 5_000 });
    expect(probe.serving).toBe(true);
  });
});
