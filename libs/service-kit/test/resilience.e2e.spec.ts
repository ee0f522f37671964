import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { createDatabase, type Db } from '@edgeplane/eventstore';
import { loadPackage, protoFilesOf } from '@edgeplane/proto';
import { eventually, freePort, testGrpcCredentials, testServices, uniqueName } from '@edgeplane/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcess, waitForStatus, type ServiceProcess } from './fixtures/process.js';
import { TcpProxy } from './fixtures/tcp-proxy.js';

type Unary = (
  req: unknown,
  md: grpc.Metadata,
  opts: grpc.CallOptions,
  cb: (e: grpc.ServiceError | null, r: any) => void,
) => void;

function unaryClient(address: string, protoFiles: string[], path: string) {
  const { grpcObject } = loadPackage(protoFiles);
  const Ctor = path.split('.').reduce((o: any, k) => o[k], grpcObject) as typeof grpc.Client;
  const client = new Ctor(address, testGrpcCredentials()) as grpc.Client & Record<string, Unary>;
  return {
    call: <T = any>(method: string, request: unknown, timeoutMs = 20_000) =>
      new Promise<T>((resolve, reject) =>
        client[method]!.call(
          client,
          request,
          new grpc.Metadata(),
          { deadline: Date.now() + timeoutMs },
          (e, r) => (e ? reject(e) : resolve(r as T)),
        ),
      ),
    close: () => client.close(),
  };
}

const settle = <T>(p: Promise<T>) =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: grpc.ServiceError) => ({ ok: false as const, code: error.code, details: error.details }),
  );

/**
 * A real cluster service process whose PostgreSQL and NATS connections go through TCP proxies the
 * test cuts (the shared servers stay up for everyone else): it must stay alive, report
 * NOT_SERVING while either is gone, come back SERVING on its own, and then serve, relay and consume.
 */
describe('a service whose database or bus goes away keeps running', () => {
  const schema = uniqueName('t_resil_cluster');
  let db: Db;
  let pgProxy: TcpProxy;
  let natsProxy: TcpProxy;
  let svc: ServiceProcess;
  let api: ReturnType<typeof unaryClient>;
  let vpc = 0;

  const createCluster = (name: string) =>
    api.call('CreateCluster', {
      name,
      kubernetesVersion: '1.22.5',
      runtime: 'containerd',
      region: 'ap-guangzhou',
      vpcId: `vpc-resil-${++vpc}`,
      vpcCidr: '10.0.0.0/16',
      podCidr: '172.16.0.0/16',
      serviceCidr: '172.17.0.0/20',
    });

  /** The relay has published every committed event of the schema. */
  const relayCaughtUp = async () => {
    const res = await sql<{ last: number | null; cp: number | null }>`
      SELECT (SELECT max(global_position) FROM ${sql.id(schema, 'events')}) AS last,
             (SELECT last_position FROM ${sql.id(schema, 'relay_checkpoints')} WHERE name = 'outbox') AS cp`.execute(
      db,
    );
    const row = res.rows[0]!;
    return row.last !== null && Number(row.cp) >= Number(row.last);
  };

  beforeAll(async () => {
    const { databaseUrl, natsUrl } = await testServices();
    db = createDatabase({ url: databaseUrl, max: 2 });
    const pgUrl = new URL(databaseUrl);
    const natsTarget = new URL(natsUrl.split(',')[0]!);
    pgProxy = new TcpProxy({ host: pgUrl.hostname, port: Number(pgUrl.port || 5432) });
    natsProxy = new TcpProxy({ host: natsTarget.hostname, port: Number(natsTarget.port || 4222) });
    await pgProxy.start();
    await natsProxy.start();
    const proxiedDb = new URL(databaseUrl);
    proxiedDb.host = pgProxy.address;
    const grpcPort = await freePort();
    svc = startProcess(
      'services/cluster/src/main.ts',
      {
        DATABASE_URL: proxiedDb.toString(),
        NATS_URL: `nats://${natsProxy.address}`,
        SERVICE_SCHEMA: schema,
        METRICS_PORT: String(await freePort()),
        CONSUMER_START: 'new',
      },
      grpcPort,
    );
    await waitForStatus(svc, 'SERVING', 90_000);
    api = unaryClient(svc.grpcAddress, protoFilesOf('cluster'), 'edgeplane.cluster.v1.ClusterService');
  });

  afterAll(async () => {
    api?.close();
    await svc?.kill();
    await pgProxy?.stop();
    await natsProxy?.stop();
    await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(db).catch(() => undefined);
    await db?.destroy();
  });

  it('PostgreSQL cut for 10 s: NOT_SERVING, alive, then SERVING again; commands and the relay resume', async () => {
    await createCluster(uniqueName('before-db-cut').replace(/_/g, '-'));
    await pgProxy.cut();
    const cutAt = Date.now();
    await waitForStatus(svc, 'NOT_SERVING', 8_000);
    const during = await settle(createCluster(uniqueName('during-db-cut').replace(/_/g, '-')));
    expect(during.ok).toBe(false);
    expect(during.ok ? undefined : during.code).not.toBe(grpc.status.CANCELLED);
    while (Date.now() - cutAt < 10_000) {
      expect(svc.alive()).toBe(true);
      expect(await svc.health()).toBe('NOT_SERVING');
      await new Promise((r) => setTimeout(r, 1000));
    }
    await pgProxy.restore();
    await waitForStatus(svc, 'SERVING', 15_000);
    const after = await createCluster(uniqueName('after-db-cut').replace(/_/g, '-'));
    expect(after.id).toBeTruthy();
    await eventually(relayCaughtUp, 20_000, 200);
    expect(svc.alive()).toBe(true);
    expect(svc.output()).toContain('database unreachable; NOT_SERVING');
  });

  it('its PostgreSQL connections terminated again and again for 10 s: it stays up and serves after', async () => {
    await pgProxy.restore();
    await waitForStatus(svc, 'SERVING', 15_000);
    const until = Date.now() + 10_000;
    let terminated = 0;
    const outcomes: Array<{ ok: boolean; code?: number }> = [];
    const load = (async () => {
      while (Date.now() < until) {
        outcomes.push(await settle(createCluster(uniqueName('under-kill').replace(/_/g, '-'))));
      }
    })();
    while (Date.now() < until) {
      const ports = [...pgProxy.upstreamPorts];
      if (ports.length > 0) {
        const res = await sql<{ n: number }>`
          SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
          WHERE client_port = ANY(${ports}::int[]) AND pid <> pg_backend_pid()`.execute(db);
        terminated += res.rows[0]!.n;
      }
      expect(svc.alive()).toBe(true);
      await new Promise((r) => setTimeout(r, 200));
    }
    await load;
    expect(terminated).toBeGreaterThan(10);
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => !o.ok && o.code === grpc.status.CANCELLED)).toEqual([]);
    await waitForStatus(svc, 'SERVING', 15_000);
    const after = await createCluster(uniqueName('after-kill').replace(/_/g, '-'));
    expect(after.id).toBeTruthy();
    await eventually(relayCaughtUp, 20_000, 200);
    expect(svc.alive()).toBe(true);
  });

  it('NATS cut for 10 s: NOT_SERVING, alive, then SERVING again; the relay and the consumers resume', async () => {
    await pgProxy.restore();
    await waitForStatus(svc, 'SERVING', 15_000);
    await natsProxy.cut();
    const cutAt = Date.now();
    await waitForStatus(svc, 'NOT_SERVING', 8_000);
    // The database is there: commands still commit; their events wait in the outbox.
    const cluster = await createCluster(uniqueName('during-bus-cut').replace(/_/g, '-'));
    await api.call('DeleteCluster', { cluster: { id: cluster.id } });
    const deleted = await sql<{ event_id: string }>`
      SELECT event_id FROM ${sql.id(schema, 'events')} WHERE type = 'ClusterDeleted' AND stream_id LIKE ${`%${cluster.id}%`}`.execute(
      db,
    );
    expect(deleted.rows).toHaveLength(1);
    expect(await relayCaughtUp()).toBe(false);
    while (Date.now() - cutAt < 10_000) {
      expect(svc.alive()).toBe(true);
      expect(await svc.health()).toBe('NOT_SERVING');
      await new Promise((r) => setTimeout(r, 1000));
    }
    await natsProxy.restore();
    await waitForStatus(svc, 'SERVING', 20_000);
    await eventually(relayCaughtUp, 30_000, 200);
    // The reactors consumer received the ClusterDeleted it published after the cut and settled it.
    const eventId = deleted.rows[0]!.event_id;
    await eventually(
      async () =>
        (
          await sql`SELECT 1 FROM ${sql.id(schema, 'inbox')} WHERE message_id = ${eventId} AND consumer LIKE '%cluster__reactors%'`.execute(
            db,
          )
        ).rows.length === 1,
      30_000,
      250,
    );
    expect(svc.alive()).toBe(true);
    expect(svc.output()).toContain('bus unreachable; NOT_SERVING');
  });
});

/**
 * SIGTERM while slow calls run: they finish (OK, committed) instead of being cancelled after they
 * committed; a call made after the signal is refused before it starts and commits nothing.
 */
describe('graceful shutdown drains in-flight calls', () => {
  const schema = uniqueName('t_resil_probe');
  const PROTO = fileURLToPath(new URL('./fixtures/probe.proto', import.meta.url));
  let db: Db;
  let svc: ServiceProcess;

  beforeAll(async () => {
    const { databaseUrl, natsUrl } = await testServices();
    db = createDatabase({ url: databaseUrl, max: 2 });
    svc = startProcess(
      'libs/service-kit/test/fixtures/probe-main.ts',
      {
        DATABASE_URL: databaseUrl,
        NATS_URL: natsUrl,
        SERVICE_SCHEMA: schema,
        METRICS_PORT: String(await freePort()),
        CONSUMER_START: 'new',
        SHUTDOWN_DRAIN_MS: '20000',
      },
      await freePort(),
    );
    await waitForStatus(svc, 'SERVING', 90_000);
  });

  afterAll(async () => {
    await svc?.kill();
    await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(db).catch(() => undefined);
    await db?.destroy();
  });

  it('every call either completes OK and is stored, or never started; none is CANCELLED', async () => {
    const stored = async (streamId: string) =>
      (await sql`SELECT 1 FROM ${sql.id(schema, 'events')} WHERE stream_id = ${streamId}`.execute(db)).rows
        .length;
    const client = unaryClient(svc.grpcAddress, [PROTO], 'edgeplane.probe.v1.ProbeService');
    const slow = [1500, 2500, 3500, 4500].map((delayMs) => {
      const streamId = uniqueName('slow');
      return { streamId, result: settle(client.call('Record', { streamId, seq: 1, delayMs })) };
    });
    // SIGTERM once all four are in their handlers
    await eventually(() => slow.every((s) => svc.output().includes(s.streamId)), 20_000, 50);
    const signalledAt = Date.now();
    svc.child.kill('SIGTERM');
    await waitForStatus(svc, 'NOT_SERVING', 5_000).catch(() => undefined); // may already be gone
    const lateClient = unaryClient(svc.grpcAddress, [PROTO], 'edgeplane.probe.v1.ProbeService');
    const lateId = uniqueName('late');
    const late = await settle(lateClient.call('Record', { streamId: lateId, seq: 1 }, 5_000));

    const outcomes = await Promise.all(slow.map(async (s) => ({ ...s, outcome: await s.result })));
    const exit = await svc.exited;
    client.close();
    lateClient.close();

    for (const { streamId, outcome } of outcomes) {
      expect(outcome, `call ${streamId}`).toMatchObject({ ok: true });
      expect(await stored(streamId)).toBe(1);
    }
    expect(late.ok).toBe(false);
    expect(late.ok ? undefined : late.code).toBe(grpc.status.UNAVAILABLE);
    expect(await stored(lateId)).toBe(0);
    expect(exit).toEqual({ code: 0, signal: null });
    // it waited for the slowest call (4.5 s from its start), not for the whole drain timeout
    expect(Date.now() - signalledAt).toBeLessThan(15_000);
    expect(svc.output()).toContain('gRPC calls drained');
  });
});
