import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { STREAMS, streamName, bucketName } from '@edgeplane/contracts';
import type { Bus } from '@edgeplane/messaging';
import { checkHealth, loadPackage, protoFilesOf } from '@edgeplane/proto';
import { bootstrapService, type RunningService } from '@edgeplane/service-kit';
import {
  clusterCreated,
  deleteInstanceDurables,
  durableSuffixOf,
  eventually,
  freePort,
  nodeJoined,
  publishEvent,
  publishSignalRound,
  simCluster,
  testBus,
  testGrpcCredentials,
  testServices,
  type SimCluster,
  type VerdictWatch,
  uniqueName,
  uniqueSchema,
  watchVerdicts,
} from '@edgeplane/testing';
import { sql } from 'kysely';
import { Kvm } from '@nats-io/kv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthArbiterConfig } from '../src/config.js';
import type { HealthArbiter } from '../src/runtime/health-arbiter.runtime.js';

type Unary = (req: unknown, cb: (err: grpc.ServiceError | null, res: any) => void) => void;
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The split as it is deployed: two replicas on ONE schema (one event store, one read model), as
 * separate processes, limited by HEALTH_PARTITIONS to 0-15 and 16-31 (within those, partitions
 * are taken by lease: here each gets exactly its half). `low` runs in-process, `high` is a real
 * child process (`node --import tsx …/main.ts`). Proves: the replicas SHARE their durables (each
 * domain event is applied once to the shared read model and told to every replica by NOTIFY),
 * the owner's engine learns of node and settings events whichever replica consumed them,
 * SetConfig served by either replica reaches the owner's engine, each cluster is judged live only
 * by its owner while the other replica answers from the shared record, and every verdict change
 * is appended and published exactly once.
 */
describe('health-arbiter partition split on one shared schema: in-process 0-15 + child process 16-31', () => {
  const schema = uniqueSchema('t_haps');
  // own lease bucket: no arbiter of another test on the shared bus takes its partitions
  const leaseBucket = uniqueName('t_haps_leases');
  const lowCluster = simCluster('slo', 0, 15);
  const highCluster = simCluster('shi', 16, 31);
  let bus: Bus;
  let low: RunningService<HealthArbiterConfig> | undefined;
  let lowArbiter: HealthArbiter;
  let high: ChildProcess | undefined;
  const highLog: string[] = [];
  let highMetricsPort = 0;
  let lowApi: grpc.Client & Record<string, Unary>;
  let highApi: grpc.Client & Record<string, Unary>;
  let watch: VerdictWatch;
  let signalTimer: NodeJS.Timeout | undefined;

  const call = (api: grpc.Client & Record<string, Unary>, method: string, req: unknown) =>
    new Promise<any>((resolve, reject) =>
      api[method]!(req, (err, res) => (err ? reject(err) : resolve(res))),
    );
  const latest = (c: SimCluster, node: string) =>
    watch.verdicts.filter((v) => v.data.clusterId === c.id && v.data.node === node).at(-1)?.data;
  const storedVerdicts = async (c: SimCluster) =>
    (
      await sql<{ event_id: string }>`
        SELECT event_id FROM ${sql.id(schema, 'events')}
        WHERE type = 'NodeVerdictChanged' AND data->>'clusterId' = ${c.id} ORDER BY global_position`.execute(
        low!.db,
      )
    ).rows;
  const highMetric = async (name: string) => {
    const text = await (await fetch(`http://127.0.0.1:${highMetricsPort}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
    return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
  };

  beforeAll(async () => {
    const { databaseUrl, natsUrl } = await testServices();
    bus = await testBus();
    const { grpcObject } = loadPackage(protoFilesOf('health-arbiter'));
    const Ctor = (grpcObject as any).edgeplane.health.v1.HealthService as typeof grpc.Client;
    watch = await watchVerdicts(bus, [lowCluster.id, highCluster.id]);
    const common = {
      DATABASE_URL: databaseUrl,
      NATS_URL: natsUrl,
      SERVICE_SCHEMA: schema,
      GRPC_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      CONSUMER_START: 'new',
      HEALTH_TICK_MS: '250',
      HEALTH_LEASE_BUCKET: leaseBucket,
    };

    const { healthArbiterService } = await import('../src/service.js');
    const { HealthArbiter: ArbiterClass } = await import('../src/runtime/health-arbiter.runtime.js');
    const lowPort = await freePort();
    low = (await bootstrapService(healthArbiterService, {
      ...common,
      HEALTH_PARTITIONS: '0-15',
      GRPC_PORT: String(lowPort),
      METRICS_PORT: String(await freePort()),
    })) as RunningService<HealthArbiterConfig>;
    lowArbiter = low.app.get(ArbiterClass);
    lowApi = new Ctor(`127.0.0.1:${lowPort}`, testGrpcCredentials()) as never;

    // high, a real process on the same (already migrated) schema
    const highPort = await freePort();
    highMetricsPort = await freePort();
    high = spawn(process.execPath, ['--import', 'tsx', 'services/health-arbiter/src/main.ts'], {
      cwd: REPO,
      env: {
        ...process.env,
        ...common,
        HEALTH_PARTITIONS: '16-31',
        GRPC_PORT: String(highPort),
        METRICS_PORT: String(highMetricsPort),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    high.stdout!.on('data', (d) => highLog.push(String(d)));
    high.stderr!.on('data', (d) => highLog.push(String(d)));
    await eventually(
      async () => (await checkHealth(`127.0.0.1:${highPort}`, { timeoutMs: 500 })).serving,
      45_000,
      200,
    ).catch((error) => {
      throw new Error(
        `the 16-31 instance did not become SERVING: ${(error as Error).message}\n${highLog.join('')}`,
      );
    });
    highApi = new Ctor(`127.0.0.1:${highPort}`, testGrpcCredentials()) as never;

    for (const c of [lowCluster, highCluster]) {
      await publishEvent(bus, 'ClusterCreated', `cluster-${c.id}`, clusterCreated(c.id, c.name));
    }
    for (const api of [lowApi, highApi]) {
      for (const c of [lowCluster, highCluster]) {
        await eventually(() => call(api, 'GetConfig', { cluster: c.name }).then(() => true), 15_000);
      }
    }
  }, 60_000);

  afterAll(async () => {
    if (signalTimer) clearInterval(signalTimer);
    await watch?.close();
    lowApi?.close();
    highApi?.close();
    if (high && high.exitCode === null && high.signalCode === null) {
      const exited = new Promise((r) => high!.once('exit', r));
      high.kill('SIGTERM'); // our own child, by its pid
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (high.exitCode === null && high.signalCode === null) high.kill('SIGKILL');
    }
    if (low) {
      await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(low.db).catch(() => undefined);
      await low.stop();
    }
    await new Kvm(bus.nc)
      .open(bucketName(leaseBucket))
      .then((kv) => kv.destroy())
      .catch(() => undefined);
    await deleteInstanceDurables(bus, [schema]);
    await bus?.close();
  });

  it('the replicas share one set of durables: each domain event is applied once, for both', async () => {
    const suffix = durableSuffixOf(schema);
    const names: string[] = [];
    for (const stream of [STREAMS.CLUSTER.name, STREAMS.NODEPOOL.name, STREAMS.HEALTH.name]) {
      for await (const c of bus.jsm.consumers.list(streamName(stream)))
        if (c.name.endsWith(suffix)) names.push(c.name);
    }
    expect(
      names.map((n) => n.slice(0, -suffix.length).replace(/^.*_(health-arbiter__)/, '$1')).sort(),
    ).toEqual(['health-arbiter__cluster-events', 'health-arbiter__membership', 'health-arbiter__settings']);
    // each replica has an engine for the cluster of its half, whichever replica consumed ClusterCreated
    await eventually(
      async () =>
        lowArbiter.engine(lowCluster.id) !== undefined &&
        (await highMetric('edgeplane_health_clusters')) === 1,
      10_000,
    );
    expect(lowArbiter.engine(highCluster.id)).toBeUndefined();
    expect(lowArbiter.heldPartitions()).toEqual(Array.from({ length: 16 }, (_, p) => p));
  });

  it('SetConfig served by either replica reaches the engine of the owner', async () => {
    // both through the OTHER replica than the owner
    await call(highApi, 'SetConfig', {
      cluster: lowCluster.name,
      graceSeconds: 2,
      voteTtlSeconds: 6,
      actor: 'ops@test',
    });
    await call(lowApi, 'SetConfig', {
      cluster: highCluster.name,
      graceSeconds: 2,
      voteTtlSeconds: 6,
      actor: 'ops@test',
    });
    await eventually(() => lowArbiter.engine(lowCluster.id)!.getSettings().graceMs === 2000, 10_000);
    for (const api of [lowApi, highApi]) {
      for (const c of [lowCluster, highCluster]) {
        expect(await call(api, 'GetConfig', { cluster: c.id })).toMatchObject({
          graceSeconds: 2,
          voteTtlSeconds: 6,
          changedBy: 'user:test-admin', // the authenticated caller, not the request's actor (issue 12)
        });
      }
    }
    // (the high replica's engine is checked through ExplainNode's graceMs below)
  });

  it('cut nodes turn NoSchedule, explained live by the owner and from the record by the other replica', async () => {
    for (const c of [lowCluster, highCluster]) {
      for (const node of c.nodes)
        await publishEvent(bus, 'NodeJoined', `node-${c.id}-${node}`, nodeJoined(c.id, node));
    }
    signalTimer = setInterval(() => {
      for (const c of [lowCluster, highCluster]) publishSignalRound(bus, c);
    }, 300);
    await eventually(
      () => [lowCluster, highCluster].every((c) => c.nodes.every((n) => latest(c, n)?.verdict === 'Ready')),
      20_000,
    );
    expect(await highMetric('edgeplane_health_nodes')).toBe(3);

    for (const c of [lowCluster, highCluster]) c.heard.delete(c.cut);
    await eventually(
      () => [lowCluster, highCluster].every((c) => latest(c, c.cut)?.verdict === 'NotReadyNoSchedule'),
      15_000,
    );

    for (const [c, owner, other] of [
      [lowCluster, lowApi, highApi],
      [highCluster, highApi, lowApi],
    ] as const) {
      expect(latest(c, c.cut)).toMatchObject({ rule: 'peers-vouch', previous: 'Ready' });
      const live = await call(owner, 'ExplainNode', { cluster: c.name, node: c.cut });
      expect(live).toMatchObject({
        clusterId: c.id,
        verdict: 'VERDICT_NOT_READY_NO_SCHEDULE',
        rule: 'peers-vouch',
        fromRecord: false,
      });
      expect(live.cloud).toMatchObject({ lost: true, graceMs: 2000 });
      const recorded = await call(other, 'ExplainNode', { cluster: c.name, node: c.cut });
      expect(recorded).toMatchObject({
        clusterId: c.id,
        verdict: 'VERDICT_NOT_READY_NO_SCHEDULE',
        rule: 'peers-vouch',
        fromRecord: true,
      });
      expect(recorded.history.map((h: any) => h.verdict).slice(-2)).toEqual([
        'VERDICT_READY',
        'VERDICT_NOT_READY_NO_SCHEDULE',
      ]);
      // one read model: both replicas list the same verdicts
      const lists = await Promise.all(
        [owner, other].map((api) => call(api, 'ListVerdicts', { cluster: c.id })),
      );
      expect(lists[0].verdicts.map((v: any) => [v.node, v.verdict])).toEqual([
        [c.nodes[0], 'VERDICT_READY'],
        [c.nodes[1], 'VERDICT_READY'],
        [c.cut, 'VERDICT_NOT_READY_NO_SCHEDULE'],
      ]);
      expect(lists[1]).toEqual(lists[0]);
    }
    expect(lowArbiter.engine(highCluster.id)).toBeUndefined();
  });

  it('every verdict change is appended and published exactly once', async () => {
    await new Promise((r) => setTimeout(r, 1500));
    for (const c of [lowCluster, highCluster]) {
      const stored = await storedVerdicts(c);
      const seen = watch.verdicts.filter((v) => v.data.clusterId === c.id);
      expect(seen.map((v) => v.id).sort()).toEqual(stored.map((s) => s.event_id).sort());
      for (const node of c.nodes) {
        const mine = seen.filter((v) => v.data.node === node);
        expect(mine.map((v) => v.streamPosition)).toEqual(mine.map((_, i) => i + 1));
        for (let i = 1; i < mine.length; i++) expect(mine[i]!.data.previous).toBe(mine[i - 1]!.data.verdict);
        const expected = node === c.cut ? ['Ready', 'NotReadyNoSchedule'] : ['Ready'];
        expect(mine.map((v) => v.data.verdict).filter((v) => v !== 'Unknown')).toEqual(expected);
      }
    }
  });
});
