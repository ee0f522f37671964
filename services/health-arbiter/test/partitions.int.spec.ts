import * as grpc from '@grpc/grpc-js';
import { signalPartition, bucketName } from '@edgeplane/contracts';
import type { Bus } from '@edgeplane/messaging';
import { loadPackage, protoFilesOf } from '@edgeplane/proto';
import { bootstrapService, type RunningService } from '@edgeplane/service-kit';
import {
  clusterCreated,
  deleteInstanceDurables,
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
import { HealthArbiter } from '../src/runtime/health-arbiter.runtime.js';
import { healthArbiterService } from '../src/service.js';

type Unary = (req: unknown, cb: (err: grpc.ServiceError | null, res: any) => void) => void;

interface Instance {
  label: string;
  partitions: string;
  range: [number, number];
  schema: string;
  grpcPort: number;
  svc?: RunningService<HealthArbiterConfig>;
  api?: grpc.Client & Record<string, Unary>;
}

/**
 * The work split (HEALTH_PARTITIONS): two arbiter instances booted in-process side by side, one
 * judging signal partitions 0-15, the other 16-31, each on its own schema (so each has its own
 * event store and durables), fed from the same real JetStream. One cluster lands in each half.
 * Proves: each cluster is judged by exactly the instance owning its partition (engine, verdict
 * events, live ExplainNode), the other instance never judges it, and every verdict change
 * reaches JetStream exactly once.
 */
describe('health-arbiter partition split: two instances (0-15 | 16-31) judge disjoint clusters', () => {
  // own lease bucket: no arbiter of another test on the shared bus takes its partitions
  const leaseBucket = uniqueName('t_hap_leases');
  const low: Instance = {
    label: 'low',
    partitions: '0-15',
    range: [0, 15],
    schema: uniqueSchema('t_hap_lo'),
    grpcPort: 0,
  };
  const high: Instance = {
    label: 'high',
    partitions: '16-31',
    range: [16, 31],
    schema: uniqueSchema('t_hap_hi'),
    grpcPort: 0,
  };
  const lowCluster = simCluster('lo', 0, 15);
  const highCluster = simCluster('hi', 16, 31);
  const pairs: [Instance, SimCluster, Instance][] = [
    [low, lowCluster, high],
    [high, highCluster, low],
  ];
  let bus: Bus;
  let watch: VerdictWatch;
  let signalTimer: NodeJS.Timeout | undefined;

  const call = (inst: Instance, method: string, req: unknown) =>
    new Promise<any>((resolve, reject) =>
      inst.api![method]!(req, (err, res) => (err ? reject(err) : resolve(res))),
    );
  const arbiterOf = (inst: Instance) => inst.svc!.app.get(HealthArbiter);
  const verdictsOf = (c: SimCluster, node?: string) =>
    watch.verdicts
      .filter((v) => v.data.clusterId === c.id && (node === undefined || v.data.node === node))
      .map((v) => v.data);
  const latest = (c: SimCluster, node: string) => verdictsOf(c, node).at(-1);
  /** NodeVerdictChanged events in an instance's own event store, for one cluster */
  const storedVerdicts = async (inst: Instance, c: SimCluster) =>
    (
      await sql<{ event_id: string; stream_id: string; stream_version: number }>`
        SELECT event_id, stream_id, stream_version FROM ${sql.id(inst.schema, 'events')}
        WHERE type = 'NodeVerdictChanged' AND data->>'clusterId' = ${c.id} ORDER BY global_position`.execute(
        inst.svc!.db,
      )
    ).rows;

  beforeAll(async () => {
    const { databaseUrl, natsUrl } = await testServices();
    bus = await testBus();
    const { grpcObject } = loadPackage(protoFilesOf('health-arbiter'));
    const Ctor = (grpcObject as any).edgeplane.health.v1.HealthService as typeof grpc.Client;

    watch = await watchVerdicts(bus, [lowCluster.id, highCluster.id]);

    // Both instances in one process: HEALTH_PARTITIONS comes from each instance's own config
    // (CONFIG provider); the durable names differ by the schema suffix.
    await Promise.all(
      [low, high].map(async (inst) => {
        inst.grpcPort = await freePort();
        inst.svc = (await bootstrapService(
          { ...healthArbiterService },
          {
            DATABASE_URL: databaseUrl,
            NATS_URL: natsUrl,
            SERVICE_SCHEMA: inst.schema,
            HEALTH_PARTITIONS: inst.partitions,
            GRPC_PORT: String(inst.grpcPort),
            METRICS_PORT: String(await freePort()),
            GRPC_HOST: '127.0.0.1',
            LOG_LEVEL: 'warn',
            CONSUMER_START: 'new',
            HEALTH_TICK_MS: '250',
            HEALTH_LEASE_BUCKET: leaseBucket,
          },
        )) as RunningService<HealthArbiterConfig>;
        inst.api = new Ctor(`127.0.0.1:${inst.grpcPort}`, testGrpcCredentials()) as never;
      }),
    );

    for (const c of [lowCluster, highCluster]) {
      await publishEvent(bus, 'ClusterCreated', `cluster-${c.id}`, clusterCreated(c.id, c.name));
    }
    // every instance learns every cluster (name ↔ id), whether it judges it or not
    for (const inst of [low, high]) {
      for (const c of [lowCluster, highCluster]) {
        await eventually(() => call(inst, 'GetConfig', { cluster: c.name }).then(() => true), 15_000);
      }
    }
    // short grace, on the instance that judges the cluster
    for (const [owner, c] of pairs) {
      const cfg = await call(owner, 'SetConfig', {
        cluster: c.name,
        graceSeconds: 2,
        voteTtlSeconds: 6,
        actor: 'ops@test',
      });
      expect(cfg).toMatchObject({ clusterId: c.id, graceSeconds: 2, voteTtlSeconds: 6 });
    }
  });

  afterAll(async () => {
    if (signalTimer) clearInterval(signalTimer);
    await watch?.close();
    for (const inst of [low, high]) {
      inst.api?.close();
      if (inst.svc) {
        await sql`DROP SCHEMA IF EXISTS ${sql.id(inst.schema)} CASCADE`
          .execute(inst.svc.db)
          .catch(() => undefined);
        await inst.svc.stop();
      }
    }
    await new Kvm(bus.nc)
      .open(bucketName(leaseBucket))
      .then((kv) => kv.destroy())
      .catch(() => undefined);
    await deleteInstanceDurables(
      bus,
      [low, high].map((inst) => inst.schema),
    );
    await bus?.close();
  });

  it('each instance runs an engine only for the cluster in its partition range', () => {
    expect(signalPartition(lowCluster.id)).toBeLessThanOrEqual(15);
    expect(signalPartition(highCluster.id)).toBeGreaterThanOrEqual(16);
    for (const [owner, c, other] of pairs) {
      expect(owner.svc!.config.HEALTH_PARTITIONS).toEqual(range(owner.range));
      expect(arbiterOf(owner).owns(c.id)).toBe(true);
      expect(arbiterOf(other).owns(c.id)).toBe(false);
      expect(arbiterOf(owner).engine(c.id)).toBeDefined();
      expect(arbiterOf(other).engine(c.id)).toBeUndefined();
      expect(arbiterOf(owner).engine(c.id)!.getSettings().graceMs).toBe(2000);
    }
  });

  it('the nodes of both clusters become Ready, each cluster judged by its owner only', async () => {
    for (const c of [lowCluster, highCluster]) {
      for (const node of c.nodes)
        await publishEvent(bus, 'NodeJoined', `node-${c.id}-${node}`, nodeJoined(c.id, node));
    }
    // every reporter the cloud hears sees all its peers healthy (also the cut one: peers vouch)
    signalTimer = setInterval(() => {
      for (const c of [lowCluster, highCluster]) publishSignalRound(bus, c);
    }, 300);
    await eventually(
      () => [lowCluster, highCluster].every((c) => c.nodes.every((n) => latest(c, n)?.verdict === 'Ready')),
      20_000,
    );
    for (const [owner, c, other] of pairs) {
      expect(latest(c, c.cut)).toMatchObject({ rule: 'cloud-contact', taints: [] });
      expect(arbiterOf(owner).engine(c.id)!.stats().nodes).toBe(3);
      // the other instance holds no engine for it, recorded nothing for it
      expect(arbiterOf(other).engine(c.id)).toBeUndefined();
      expect((await storedVerdicts(owner, c)).length).toBeGreaterThanOrEqual(3);
      expect(await storedVerdicts(other, c)).toEqual([]);
    }
  });

  it("cutting one node's cloud link in each cluster: NoSchedule from the owner, live evidence there only", async () => {
    for (const c of [lowCluster, highCluster]) c.heard.delete(c.cut);
    await eventually(
      () => [lowCluster, highCluster].every((c) => latest(c, c.cut)?.verdict === 'NotReadyNoSchedule'),
      15_000,
    );
    for (const [owner, c, other] of pairs) {
      const change = latest(c, c.cut)!;
      expect(change).toMatchObject({ rule: 'peers-vouch', previous: 'Ready' });
      expect(change.evidence.quorum).toMatchObject({
        peerSetSize: 2,
        needed: 2,
        healthyVotes: 2,
        unhealthyVotes: 0,
      });
      for (const n of c.nodes.filter((n) => n !== c.cut)) expect(latest(c, n)?.verdict).toBe('Ready');

      // the owner explains it from its live engine
      const x = await call(owner, 'ExplainNode', { cluster: c.name, node: c.cut });
      expect(x).toMatchObject({
        clusterId: c.id,
        node: c.cut,
        verdict: 'VERDICT_NOT_READY_NO_SCHEDULE',
        rule: 'peers-vouch',
        scope: 'cluster',
        fromRecord: false,
      });
      expect(x.cloud.lost).toBe(true);
      expect(Number(x.cloud.graceMs)).toBe(2000);
      expect(x.peers.map((p: any) => [p.peer, p.healthy, p.counted]).sort()).toEqual(
        c.nodes.filter((n) => n !== c.cut).map((n) => [n, true, true]),
      );
      const list = await call(owner, 'ListVerdicts', { cluster: c.id });
      expect(list.verdicts.map((v: any) => [v.node, v.verdict])).toEqual([
        [c.nodes[0], 'VERDICT_READY'],
        [c.nodes[1], 'VERDICT_READY'],
        [c.cut, 'VERDICT_NOT_READY_NO_SCHEDULE'],
      ]);

      // the other instance knows the cluster (name ↔ id) but judges none of its nodes: no engine,
      // no recorded verdict (its own schema) — ExplainNode is NOT_FOUND, ListVerdicts empty
      const foreign = await call(other, 'ExplainNode', { cluster: c.name, node: c.cut }).catch((e) => e);
      expect(foreign.code).toBe(grpc.status.NOT_FOUND);
      expect(foreign.details).toMatch(/node/);
      expect(await call(other, 'ListVerdicts', { cluster: c.name })).toMatchObject({ verdicts: [] });
      expect(arbiterOf(other).engine(c.id)).toBeUndefined();
    }
  });

  it('every verdict change of both clusters reaches JetStream exactly once, from its owner', async () => {
    // a few more ticks of both instances with live signals: nothing new, nothing twice
    await new Promise((r) => setTimeout(r, 1500));
    for (const [owner, c, other] of pairs) {
      const stored = await storedVerdicts(owner, c);
      expect(await storedVerdicts(other, c)).toEqual([]);
      const seen = watch.verdicts.filter((v) => v.data.clusterId === c.id);
      // the same events, once each, in stream order: no change published twice, none lost
      expect(seen.map((v) => v.id).sort()).toEqual(stored.map((s) => s.event_id).sort());
      expect(new Set(seen.map((v) => `${v.streamId}#${v.streamPosition}`)).size).toBe(seen.length);
      for (const node of c.nodes) {
        const mine = seen.filter((v) => v.data.node === node);
        expect(mine.map((v) => v.streamPosition)).toEqual(mine.map((_, i) => i + 1));
        // each event is a change of the previous one (no repeated verdict from a second judge)
        for (let i = 1; i < mine.length; i++) {
          expect(mine[i]!.data.previous).toBe(mine[i - 1]!.data.verdict);
          expect(mine[i]!.data.verdict).not.toBe(mine[i - 1]!.data.verdict);
        }
        const expected = node === c.cut ? ['Ready', 'NotReadyNoSchedule'] : ['Ready'];
        expect(mine.map((v) => v.data.verdict).filter((v) => v !== 'Unknown')).toEqual(expected);
      }
    }
  });
});

function range([from, to]: [number, number]): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
