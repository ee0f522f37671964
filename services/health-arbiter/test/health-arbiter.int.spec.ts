import { bucketName } from '@edgeplane/contracts';
import * as grpc from '@grpc/grpc-js';
import { fieldViolationsOf } from '@edgeplane/proto';
import type { Bus } from '@edgeplane/messaging';
import { loadPackage, protoFilesOf } from '@edgeplane/proto';
import { bootstrapService, type RunningService } from '@edgeplane/service-kit';
import {
  clusterCreated,
  deleteInstanceDurables,
  eventually,
  freePort,
  membershipChanged,
  nodeJoined,
  publishEvent,
  publishHeartbeat,
  publishProbeReport,
  testBus,
  testGrpcCredentials,
  testServices,
  type VerdictWatch,
  uniqueName,
  uniqueSchema,
  watchVerdicts,
} from '@edgeplane/testing';
import { sql } from 'kysely';
import { Kvm } from '@nats-io/kv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthArbiterService } from '../src/service.js';
import type { HealthArbiterConfig } from '../src/config.js';

type Unary = (req: unknown, cb: (err: grpc.ServiceError | null, res: any) => void) => void;

/**
 * The guide's gz-3 case end to end: the arbiter booted in-process on its own schema, its inputs
 * published to real JetStream (catalogue events as the cluster/nodepool relays publish them,
 * signals as the tunnel gateway will), its outputs read back from JetStream and over gRPC.
 */
describe('health-arbiter over real NATS + PostgreSQL: gz-3 loses the cloud, then its peers', () => {
  const schema = uniqueSchema('t_ha');
  // own lease bucket: no arbiter of another test on the shared bus takes its partitions
  const leaseBucket = uniqueName('t_ha_leases');
  const clusterId = uniqueName('cid').replace(/_/g, '-');
  const clusterName = uniqueName('gz').replace(/_/g, '-');
  const gz = ['gz-1', 'gz-2', 'gz-3'];
  let env: NodeJS.ProcessEnv;
  let svc: RunningService<HealthArbiterConfig> | undefined;
  let bus: Bus;
  let api: grpc.Client & Record<string, Unary>;
  let watch: VerdictWatch;
  let signalTimer: NodeJS.Timeout;
  // what the simulated nodes do: who the cloud hears, who reports, what each reports about gz-3
  const heard = new Set(gz);
  const reporting = new Set(gz);
  let peersSeeGz3 = true;

  const call = (method: string, req: unknown) =>
    new Promise<any>((resolve, reject) =>
      api[method]!(req, (err, res) => (err ? reject(err) : resolve(res))),
    );
  const boot = () =>
    bootstrapService({ ...healthArbiterService, schema }, env) as Promise<
      RunningService<HealthArbiterConfig>
    >;
  const verdictsOf = (node: string) => watch.verdicts.filter((v) => v.data.node === node).map((v) => v.data);
  const latest = (node: string) => verdictsOf(node).at(-1);

  beforeAll(async () => {
    const { databaseUrl, natsUrl } = await testServices();
    bus = await testBus();
    const grpcPort = await freePort();
    env = {
      DATABASE_URL: databaseUrl,
      NATS_URL: natsUrl,
      GRPC_PORT: String(grpcPort),
      METRICS_PORT: String(await freePort()),
      GRPC_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      CONSUMER_START: 'new',
      HEALTH_TICK_MS: '250',
      HEALTH_LEASE_BUCKET: leaseBucket,
    };
    svc = await boot();
    const { grpcObject } = loadPackage(protoFilesOf('health-arbiter'));
    const Ctor = (grpcObject as any).edgeplane.health.v1.HealthService as typeof grpc.Client;
    api = new Ctor(`127.0.0.1:${grpcPort}`, testGrpcCredentials()) as never;

    watch = await watchVerdicts(bus, [clusterId]);

    await publishEvent(bus, 'ClusterCreated', `cluster-${clusterId}`, clusterCreated(clusterId, clusterName));
    await eventually(() => call('GetConfig', { cluster: clusterName }).then(() => true), 15_000);
  });

  afterAll(async () => {
    clearInterval(signalTimer);
    await watch?.close();
    api?.close();
    if (svc) {
      await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(svc.db).catch(() => undefined);
      await svc.stop();
    }
    await new Kvm(bus.nc)
      .open(bucketName(leaseBucket))
      .then((kv) => kv.destroy())
      .catch(() => undefined);
    await deleteInstanceDurables(bus, [schema]);
    await bus?.close();
  });

  it('refuses multi-region and global no-eviction together, and stores nothing', async () => {
    const both = await call('SetConfig', {
      cluster: clusterName,
      multiRegion: true,
      noEviction: true,
      actor: 'ops',
    }).catch((e) => e);
    expect(both.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(both.details).toMatch(/mutually exclusive/);
    expect(
      fieldViolationsOf(both)
        .map((v) => v.field)
        .sort(),
    ).toEqual(['multiRegion', 'noEviction']);

    const config = await call('GetConfig', { cluster: clusterId });
    expect(config).toMatchObject({
      clusterId,
      multiRegion: false,
      noEviction: false,
      graceSeconds: 40,
      changedBy: '',
    });
    const stored = await svc!.db.withSchema(schema).selectFrom('events').select('type').execute();
    expect(stored).toEqual([]);

    const on = await call('SetConfig', {
      cluster: clusterName,
      multiRegion: true,
      graceSeconds: 2,
      voteTtlSeconds: 6,
      actor: 'ops@test',
    });
    expect(on).toMatchObject({
      multiRegion: true,
      noEviction: false,
      graceSeconds: 2,
      voteTtlSeconds: 6,
      // the authenticated caller (testGrpcCredentials' admin), not the request's `actor` (issue 12)
      changedBy: 'user:test-admin',
    });

    const other = await call('SetConfig', { cluster: clusterName, noEviction: true, actor: 'ops' }).catch(
      (e) => e,
    );
    expect(other.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(other.details).toMatch(/cannot enable global no-eviction .*multi-region is on/);
    expect(await call('GetConfig', { cluster: clusterName })).toMatchObject({
      multiRegion: true,
      noEviction: false,
    });

    const unknown = await call('GetConfig', { cluster: 'no-such-cluster' }).catch((e) => e);
    expect(unknown.code).toBe(grpc.status.NOT_FOUND);
  });

  it('nodes of unit guangzhou that heartbeat and vouch for each other are Ready', async () => {
    for (const node of gz) {
      await publishEvent(bus, 'NodeJoined', `node-${clusterId}-${node}`, nodeJoined(clusterId, node));
      await publishEvent(
        bus,
        'NodeMembershipChanged',
        `nodemembership:${clusterId}:${node}`,
        membershipChanged(clusterId, node, ['unit-node-all', 'guangzhou']),
      );
    }
    signalTimer = setInterval(() => {
      for (const node of heard) publishHeartbeat(bus, clusterId, node);
      for (const reporter of reporting) {
        const views: Record<string, boolean> = {};
        for (const peer of gz) if (peer !== reporter) views[peer] = peer === 'gz-3' ? peersSeeGz3 : true;
        publishProbeReport(bus, clusterId, reporter, views);
      }
    }, 300);
    await eventually(() => gz.every((n) => latest(n)?.verdict === 'Ready'), 20_000);
    expect(latest('gz-3')).toMatchObject({ rule: 'cloud-contact', taints: [] });
  });

  it('gz-3 loses the cloud while its peers vouch: NotReady with NoSchedule only, explained', async () => {
    heard.delete('gz-3');
    reporting.delete('gz-3'); // its reports travel the same lost link
    await eventually(() => latest('gz-3')?.verdict === 'NotReadyNoSchedule', 15_000);
    const change = latest('gz-3')!;
    expect(change.rule).toBe('peers-vouch');
    expect(change.previous).toBe('Ready');
    expect(change.taints).toEqual([
      { key: 'node.kubernetes.io/unreachable', value: '', effect: 'NoSchedule' },
    ]);
    expect(change.evidence.quorum).toMatchObject({
      peerSetSize: 2,
      needed: 2,
      healthyVotes: 2,
      unhealthyVotes: 0,
    });
    expect(watch.evictions).toEqual([]);

    const x = await call('ExplainNode', { cluster: clusterName, node: 'gz-3' });
    expect(x).toMatchObject({
      clusterId,
      node: 'gz-3',
      verdict: 'VERDICT_NOT_READY_NO_SCHEDULE',
      rule: 'peers-vouch',
      scope: 'units',
      units: ['guangzhou'],
      fromRecord: false,
    });
    expect(x.cloud.lost).toBe(true);
    expect(Number(x.cloud.ageMs)).toBeGreaterThanOrEqual(2000);
    expect(x.explanation).toMatch(/majority of its peers report it healthy/);
    expect(x.peers.map((p: any) => [p.peer, p.healthy, p.counted]).sort()).toEqual([
      ['gz-1', true, true],
      ['gz-2', true, true],
    ]);
    for (const p of x.peers) expect(Number(p.ageMs)).toBeLessThan(6000);
    expect(x.quorum).toMatchObject({ peerSetSize: 2, needed: 2, healthyVotes: 2 });
    // (a first Unknown when the join was consumed before the node's first heartbeat)
    expect(x.history.map((h: any) => h.verdict).slice(-2)).toEqual([
      'VERDICT_READY',
      'VERDICT_NOT_READY_NO_SCHEDULE',
    ]);
    expect(latest('gz-1')?.verdict).toBe('Ready');
  });

  it('then its peers lose it too: NoExecute and an eviction request on JetStream', async () => {
    peersSeeGz3 = false;
    await eventually(() => latest('gz-3')?.verdict === 'NotReadyNoExecute', 15_000);
    const change = latest('gz-3')!;
    expect(change.rule).toBe('peers-confirm-down');
    expect(change.taints.map((t) => t.effect)).toEqual(['NoSchedule', 'NoExecute']);
    await eventually(() => watch.evictions.length === 1, 5000);
    expect(watch.evictions[0]!.data).toMatchObject({
      clusterId,
      node: 'gz-3',
      rule: 'peers-confirm-down',
      at: change.at,
    });

    const list = await call('ListVerdicts', {
      cluster: clusterName,
      verdicts: ['VERDICT_NOT_READY_NO_EXECUTE'],
    });
    expect(list.verdicts.map((v: any) => v.node)).toEqual(['gz-3']);
    // each row carries the node's units and the evidence of its last change (the matrix reads it)
    expect(list.verdicts[0]).toMatchObject({
      units: ['guangzhou', 'unit-node-all'],
      cloudLost: true,
      quorum: { peerSetSize: 2, needed: 2, unhealthyVotes: 2 },
    });
    expect(Date.parse(list.verdicts[0].cloudLastSeen)).toBeLessThan(Date.parse(list.verdicts[0].since));
    const all = await call('ListVerdicts', { cluster: clusterName });
    const gz1 = all.verdicts.find((v: any) => v.node === 'gz-1');
    expect(gz1).toMatchObject({ verdict: 'VERDICT_READY', rule: 'cloud-contact', cloudLost: false });
  });

  it('a restart replays the signal window and flaps no verdict; the history survives', async () => {
    const before = watch.verdicts.length;
    await svc!.stop();
    svc = undefined;
    await new Promise((r) => setTimeout(r, 1000)); // signals keep flowing while it is down
    svc = await boot();
    // replay window (6 s) + a hold, then several ticks with live signals
    await new Promise((r) => setTimeout(r, 5000));
    expect(watch.verdicts.slice(before)).toEqual([]);
    expect(watch.evictions).toHaveLength(1);

    const x = await call('ExplainNode', { cluster: clusterId, node: 'gz-3' });
    expect(x.verdict).toBe('VERDICT_NOT_READY_NO_EXECUTE');
    expect(x.computedVerdict).toBe('VERDICT_NOT_READY_NO_EXECUTE');
    expect(x.history.map((h: any) => h.verdict)).toEqual([
      ...verdictsOf('gz-3')
        .slice(0, -3)
        .map(() => 'VERDICT_UNKNOWN'),
      'VERDICT_READY',
      'VERDICT_NOT_READY_NO_SCHEDULE',
      'VERDICT_NOT_READY_NO_EXECUTE',
    ]);
    expect(
      x.peers
        .filter((p: any) => p.counted && !p.healthy)
        .map((p: any) => p.peer)
        .sort(),
    ).toEqual(['gz-1', 'gz-2']);
    const g1 = await call('ExplainNode', { cluster: clusterId, node: 'gz-1' });
    expect(g1.verdict).toBe('VERDICT_READY');

    // and it is still live after the restart: gz-3 comes back
    heard.add('gz-3');
    await eventually(() => latest('gz-3')?.verdict === 'Ready', 10_000);
  });
});
