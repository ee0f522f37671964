import { NodeMembershipChanged, bucketName } from '@edgeplane/contracts';
import type { Bus } from '@edgeplane/messaging';
import { bootstrapService, type RunningService } from '@edgeplane/service-kit';
import {
  clusterCreated,
  deleteInstanceDurables,
  eventually,
  freePort,
  membershipChanged,
  nodeJoined,
  publishEvent,
  testBus,
  testServices,
  uniqueName,
  uniqueSchema,
} from '@edgeplane/testing';
import { Kvm } from '@nats-io/kv';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthArbiterConfig } from '../src/config.js';
import { HealthArbiter } from '../src/runtime/health-arbiter.runtime.js';
import { healthArbiterService } from '../src/service.js';

/**
 * Full-state events out of order: nodepool's NodeMembershipChanged carries the version of the
 * node's membership stream; a newer one applied first and an older one delivered late (a nak'd
 * message redelivered after the next one) must leave the newer units in the read model and in
 * the engine. Real arbiter in-process, real JetStream and PostgreSQL.
 */
describe('health-arbiter: an older membership delivered late never overwrites a newer one', () => {
  const schema = uniqueSchema('t_hao');
  const leaseBucket = uniqueName('t_hao_leases');
  const clusterId = uniqueName('cid').replace(/_/g, '-');
  let bus: Bus;
  let svc: RunningService<HealthArbiterConfig> | undefined;
  let arbiter: HealthArbiter;

  const membership = (node: string, units: string[], streamVersion?: number) =>
    publishEvent(bus, 'NodeMembershipChanged', `nodemembership:${clusterId}:${node}`, {
      ...membershipChanged(clusterId, node, units),
      ...(streamVersion === undefined ? {} : { streamVersion }),
    });
  const row = async (node: string) =>
    (
      await sql<{ units: string[]; units_version: number | null }>`
        SELECT units, units_version FROM ${sql.id(schema, 'proj_health_nodes')}
        WHERE cluster_id = ${clusterId} AND node = ${node}`.execute(svc!.db)
    ).rows[0];
  const engineUnits = (node: string) =>
    arbiter.engine(clusterId)?.explain(node, Date.now())?.peerCheck.units.join(',');

  beforeAll(async () => {
    const { databaseUrl, natsUrl } = await testServices();
    bus = await testBus();
    svc = (await bootstrapService(
      { ...healthArbiterService },
      {
        DATABASE_URL: databaseUrl,
        NATS_URL: natsUrl,
        SERVICE_SCHEMA: schema,
        GRPC_HOST: '127.0.0.1',
        GRPC_PORT: String(await freePort()),
        METRICS_PORT: String(await freePort()),
        LOG_LEVEL: 'warn',
        CONSUMER_START: 'new',
        HEALTH_TICK_MS: '250',
        HEALTH_LEASE_BUCKET: leaseBucket,
      },
    )) as RunningService<HealthArbiterConfig>;
    arbiter = svc.app.get(HealthArbiter);
    await publishEvent(bus, 'ClusterCreated', `cluster-${clusterId}`, clusterCreated(clusterId, clusterId));
    for (const node of ['n1', 'n2'])
      await publishEvent(bus, 'NodeJoined', `node-${clusterId}-${node}`, nodeJoined(clusterId, node));
    await eventually(() => arbiter.engine(clusterId)?.stats().nodes === 2, 20_000);
  }, 60_000);

  afterAll(async () => {
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

  it('the catalogue schema takes the version as optional (events stored before it still decode)', () => {
    const data = membershipChanged(clusterId, 'n1', ['unit-a']);
    expect(NodeMembershipChanged.schema.safeParse(data).success).toBe(true);
    expect(NodeMembershipChanged.schema.safeParse({ ...data, streamVersion: 2 }).success).toBe(true);
    expect(NodeMembershipChanged.schema.safeParse({ ...data, streamVersion: 0 }).success).toBe(false);
  });

  it('version 2 then version 1: the read model and the engine keep version 2', async () => {
    await membership('n1', ['unit-node-all', 'unit-a'], 2);
    await membership('n1', ['unit-node-all', 'unit-b'], 1); // the older one, late
    // a marker on the same durable, after both: once it is applied, so are they
    await membership('n2', ['unit-node-all', 'unit-c'], 1);
    await eventually(async () => (await row('n2'))?.units.includes('unit-c') === true, 15_000);
    expect(await row('n1')).toEqual({ units: ['unit-node-all', 'unit-a'], units_version: 2 });
    await eventually(() => engineUnits('n2') === 'unit-c', 10_000);
    expect(engineUnits('n1')).toBe('unit-a');
  });

  it('a newer version applies; an event without a version (stored before the field) applies as before', async () => {
    await membership('n1', ['unit-node-all', 'unit-d'], 3);
    await eventually(async () => (await row('n1'))?.units_version === 3, 15_000);
    expect((await row('n1'))!.units).toEqual(['unit-node-all', 'unit-d']);
    await eventually(() => engineUnits('n1') === 'unit-d', 10_000);
    await membership('n1', ['unit-node-all', 'unit-e']);
    await eventually(async () => (await row('n1'))?.units.includes('unit-e') === true, 15_000);
    expect((await row('n1'))!.units_version).toBe(3);
    await eventually(() => engineUnits('n1') === 'unit-e', 10_000);
    // and version 3 again (a redelivery of the same state) changes nothing
    await membership('n1', ['unit-node-all', 'unit-d'], 3);
    await membership('n2', ['unit-node-all', 'unit-f'], 2);
    await eventually(async () => (await row('n2'))?.units.includes('unit-f') === true, 15_000);
    expect((await row('n1'))!.units).toEqual(['unit-node-all', 'unit-e']);
  });
});
