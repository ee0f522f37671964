import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { schemaName } from '@edgeplane/contracts';
import { loadPackage } from '@edgeplane/proto';
import { freePort, TEST_STREAM, testGrpcCredentials, testServices, uniqueName } from '@edgeplane/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapService, type RunningService } from '../src/index.js';
import { ProbeModule } from './fixtures/probe.module.js';

const PROTO = fileURLToPath(new URL('./fixtures/probe.proto', import.meta.url));

type Unary = (req: unknown, md: grpc.Metadata, cb: (err: grpc.ServiceError | null, res: any) => void) => void;

/**
 * A service whose database refuses connections answers UNAVAILABLE naming the database (the
 * chaos bench saw INTERNAL with the driver's text), and serves again once it is back. Real gRPC,
 * real PostgreSQL: a scratch database of the service's own, fenced with ALLOW_CONNECTIONS false
 * and its backends terminated.
 */
describe('service kit: a database outage is UNAVAILABLE, not INTERNAL (real PostgreSQL, gRPC, JetStream)', () => {
  let svc: RunningService;
  let admin: pg.Client;
  let client: grpc.Client & { Record: Unary };
  const dbName = uniqueName('hard_unavail').replace(/-/g, '_').toLowerCase();
  const schema = schemaName(uniqueName('t_unavail'));

  const call = (req: unknown) =>
    new Promise<any>((resolve, reject) =>
      client.Record(req, new grpc.Metadata(), (err, res) => (err ? reject(err) : resolve(res))),
    );

  const fence = async (allow: boolean) => {
    await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS ${allow}`);
    if (!allow) {
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [dbName],
      );
    }
  };

  beforeAll(async () => {
    const { databaseUrl, natsUrl } = await testServices();
    admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    const url = new URL(databaseUrl);
    url.pathname = `/${dbName}`;
    const grpcPort = await freePort();
    svc = await bootstrapService(
      {
        name: 'probe',
        schema,
        module: ProbeModule,
        grpcPackages: ['edgeplane.probe.v1'],
        protoFiles: [PROTO],
        streams: [TEST_STREAM],
      },
      {
        DATABASE_URL: url.toString(),
        NATS_URL: natsUrl,
        GRPC_PORT: String(grpcPort),
        METRICS_PORT: String(await freePort()),
        GRPC_HOST: '127.0.0.1',
        LOG_LEVEL: 'fatal',
      },
    );
    const { grpcObject } = loadPackage([PROTO]);
    const Ctor = (grpcObject as any).edgeplane.probe.v1.ProbeService as typeof grpc.Client;
    client = new Ctor(`127.0.0.1:${grpcPort}`, testGrpcCredentials()) as never;
  });

  afterAll(async () => {
    client?.close();
    await admin?.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`).catch(() => undefined);
    await svc?.stop();
    await admin?.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    await admin?.end();
  });

  it('answers UNAVAILABLE naming the database while it refuses connections, and works again after', async () => {
    expect(await call({ streamId: `probe-${uniqueName('a')}`, seq: 1 })).toMatchObject({ version: 1 });

    await fence(false);
    try {
      for (let i = 0; i < 3; i++) {
        const err = await call({ streamId: `probe-${uniqueName('b')}`, seq: 1 }).then(
          () => undefined,
          (e: grpc.ServiceError) => e,
        );
        expect(err?.code, `call ${i}: ${err?.details}`).toBe(grpc.status.UNAVAILABLE);
        expect(err?.details).toBe('database unavailable, try again');
        expect(err?.details).not.toContain(dbName);
      }
    } finally {
      await fence(true);
    }

    expect(await call({ streamId: `probe-${uniqueName('c')}`, seq: 1 })).toMatchObject({ version: 1 });
  });

  it('bad input is still INVALID_ARGUMENT during the outage (checked before the database)', async () => {
    await fence(false);
    try {
      const err = await call({ streamId: '', seq: 1 }).catch((e: grpc.ServiceError) => e);
      expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    } finally {
      await fence(true);
    }
  });
});
