import * as grpc from '@grpc/grpc-js';
import { schemaName } from '@edgeplane/contracts';
import { loadPackage, protoFilesOf } from '@edgeplane/proto';
import { bootstrapService, type RunningService } from '@edgeplane/service-kit';
import { freePort, testGrpcCredentials, testServices, uniqueName } from '@edgeplane/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterServiceDefinition } from '../src/index.js';

type Unary = (req: unknown, md: grpc.Metadata, cb: (err: grpc.ServiceError | null, res: any) => void) => void;

/**
 * Bad input is refused before any database work: with the service's database refusing
 * connections (a scratch database fenced with ALLOW_CONNECTIONS false, its backends terminated),
 * a join-token TTL of 5 s and a label key that is no label key are INVALID_ARGUMENT, while a valid
 * request is UNAVAILABLE (the database really is away). The chaos bench saw INTERNAL for these.
 */
describe('cluster: bad input is refused while the database is unreachable (real PostgreSQL, gRPC)', () => {
  let svc: RunningService;
  let admin: pg.Client;
  const clients: grpc.Client[] = [];
  const dbName = uniqueName('hard_cl_out').replace(/-/g, '_').toLowerCase();
  const schema = schemaName(uniqueName('t_cl_out'));
  let port = 0;

  const call = (service: string, method: string, req: unknown) => {
    const { grpcObject } = loadPackage(protoFilesOf('cluster'));
    const Ctor = (grpcObject as any).edgeplane.cluster.v1[service] as typeof grpc.Client;
    const client = new Ctor(`127.0.0.1:${port}`, testGrpcCredentials()) as grpc.Client &
      Record<string, Unary>;
    clients.push(client);
    return new Promise<grpc.ServiceError | undefined>((resolve) =>
      client[method]!(req, new grpc.Metadata(), (err) => resolve(err ?? undefined)),
    );
  };

  const fence = async (allow: boolean) => {
    await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS ${allow}`);
    if (!allow)
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [dbName],
      );
  };

  beforeAll(async () => {
    const { databaseUrl, natsUrl } = await testServices();
    admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    const url = new URL(databaseUrl);
    url.pathname = `/${dbName}`;
    port = await freePort();
    svc = await bootstrapService(clusterServiceDefinition({ schema }), {
      DATABASE_URL: url.toString(),
      NATS_URL: natsUrl,
      GRPC_PORT: String(port),
      METRICS_PORT: String(await freePort()),
      GRPC_HOST: '127.0.0.1',
      LOG_LEVEL: 'fatal',
      CONSUMER_START: 'new',
    });
    await fence(false);
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await admin?.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`).catch(() => undefined);
    await svc?.stop();
    await admin?.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    await admin?.end();
  });

  it('a join token TTL of 5 s is INVALID_ARGUMENT naming ttlSeconds', async () => {
    const err = await call('JoinTokenService', 'CreateJoinToken', {
      cluster: { name: 'shop-gz' },
      ttlSeconds: 5,
    });
    expect(err?.code, err?.details).toBe(grpc.status.INVALID_ARGUMENT);
    expect(err?.details).toContain('ttlSeconds');
  });

  it('a label key __proto__… is INVALID_ARGUMENT naming the key', async () => {
    const set = Object.defineProperty({ __proto__x: 'y' } as Record<string, string>, '__proto__', {
      value: 'z',
      enumerable: true,
    });
    const err = await call('NodeService', 'LabelNode', {
      node: { cluster: { name: 'shop-gz' }, name: 'n1' },
      set,
    });
    expect(err?.code, err?.details).toBe(grpc.status.INVALID_ARGUMENT);
    expect(err?.details).toContain('__proto__');
  });

  it('a valid request is UNAVAILABLE: the database really is away', async () => {
    const err = await call('JoinTokenService', 'CreateJoinToken', {
      cluster: { name: 'shop-gz' },
      ttlSeconds: 3600,
    });
    expect(err?.code, err?.details).toBe(grpc.status.UNAVAILABLE);
  });
});
