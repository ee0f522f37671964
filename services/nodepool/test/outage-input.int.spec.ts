import * as grpc from '@grpc/grpc-js';
import { schemaName } from '@edgeplane/contracts';
import { loadPackage, protoFilesOf } from '@edgeplane/proto';
import { bootstrapService, type RunningService } from '@edgeplane/service-kit';
import { freePort, testGrpcCredentials, testServices, uniqueName } from '@edgeplane/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodepoolService } from '../src/service.js';

type Unary = (req: unknown, md: grpc.Metadata, cb: (err: grpc.ServiceError | null, res: any) => void) => void;

/**
 * A selector with an unknown operator is refused before any database work: with the service's
 * database refusing connections (scratch database, ALLOW_CONNECTIONS false, backends terminated)
 * it is INVALID_ARGUMENT naming the operator, while a valid unit is UNAVAILABLE. The chaos bench
 * saw INTERNAL.
 */
describe('nodepool: a bad selector is refused while the database is unreachable (real PostgreSQL, gRPC)', () => {
  let svc: RunningService;
  let admin: pg.Client;
  const clients: grpc.Client[] = [];
  const dbName = uniqueName('hard_np_out').replace(/-/g, '_').toLowerCase();
  const schema = schemaName(uniqueName('t_np_out'));
  let port = 0;

  const call = (service: string, method: string, req: unknown) => {
    const { grpcObject } = loadPackage(protoFilesOf('nodepool'));
    const Ctor = (grpcObject as any).edgeplane.nodepool.v1[service] as typeof grpc.Client;
    const client = new Ctor(`127.0.0.1:${port}`, testGrpcCredentials()) as grpc.Client &
      Record<string, Unary>;
    clients.push(client);
    return new Promise<grpc.ServiceError | undefined>((resolve) =>
      client[method]!(req, new grpc.Metadata(), (err) => resolve(err ?? undefined)),
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
    svc = await bootstrapService(
      { ...nodepoolService, schema },
      {
        DATABASE_URL: url.toString(),
        NATS_URL: natsUrl,
        GRPC_PORT: String(port),
        METRICS_PORT: String(await freePort()),
        GRPC_HOST: '127.0.0.1',
        LOG_LEVEL: 'fatal',
        CONSUMER_START: 'new',
      },
    );
    await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS false`);
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [dbName],
    );
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await admin?.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`).catch(() => undefined);
    await svc?.stop();
    await admin?.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    await admin?.end();
  });

  const unit = (matchExpressions: unknown[]) => ({
    cluster: 'shop-gz',
    name: 'sel-unit',
    spec: { type: 'edge', selector: { matchExpressions } },
  });

  it('CreateNodeUnit / UpdateNodeUnit with operator Bogus are INVALID_ARGUMENT naming the operator', async () => {
    for (const method of ['CreateNodeUnit', 'UpdateNodeUnit']) {
      const err = await call('NodeUnitService', method, unit([{ key: 'a', operator: 'Bogus', values: [] }]));
      expect(err?.code, `${method}: ${err?.details}`).toBe(grpc.status.INVALID_ARGUMENT);
      expect(err?.details).toContain('spec.selector.matchExpressions[0].operator');
    }
    const err = await call('NodeGroupService', 'CreateNodeGroup', {
      cluster: 'shop-gz',
      name: 'sel-group',
      spec: { selector: { matchExpressions: [{ key: 'a', operator: 'Bogus', values: [] }] } },
    });
    expect(err?.code, err?.details).toBe(grpc.status.INVALID_ARGUMENT);
  });

  it('a valid unit is UNAVAILABLE: the database really is away', async () => {
    const err = await call(
      'NodeUnitService',
      'CreateNodeUnit',
      unit([{ key: 'a', operator: 'Exists', values: [] }]),
    );
    expect(err?.code, err?.details).toBe(grpc.status.UNAVAILABLE);
  });
});
