import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldViolationsOf } from '@edgeplane/proto';
import { clusterCreated, eventually, membershipChanged, nodeJoined, uniqueName } from '@edgeplane/testing';
import {
  evolveGrid,
  initialGridState,
  type ActiveGridState,
  type GridEvent,
} from '../src/grid/grid.state.js';
import { GridHarness } from './support/grid-harness.js';

const h = new GridHarness();
beforeAll(() => h.start());
afterAll(() => h.stop());

const deploymentGrid = (name: string, replicas: number, image = 'busybox:1.36') => `
apiVersion: superedge.io/v1
kind: DeploymentGrid
metadata:
  name: ${name}
  namespace: default
spec:
  gridUniqKey: location
  template:
    replicas: ${replicas}
    selector:
      matchLabels:
        app: ${name}
    template:
      metadata:
        labels:
          app: ${name}
      spec:
        containers:
          - name: web
            image: ${image}
`;

interface Pod {
  name: string;
  unit: string;
  node: string;
  phase: string;
  reason: string;
  child: string;
  reported: boolean;
  ready: boolean;
  failed: boolean;
  statusReason: string;
  ip: string;
}

describe('grid over real gRPC, PostgreSQL and JetStream: one app to every unit of a group', () => {
  const clusterId = `cls-${uniqueName('g').slice(2).replace(/_/g, '')}`;
  const cluster = uniqueName('edge').replace(/_/g, '-');
  const units: Record<string, string[]> = {
    beijing: ['bj-1', 'bj-2', 'bj-3'],
    guangzhou: ['gz-1', 'gz-2'],
  };

  const groupUnits = (list: string[], version: number) =>
    h
      .publish('NodeGroupUnitsChanged', `nodegroup:${clusterId}:location`, {
        clusterId,
        name: 'location',
        units: list,
        added: list,
        removed: [],
        at: new Date().toISOString(),
      })
      .then(() => version);

  const pods = async (grid = 'echo'): Promise<Pod[]> =>
    (await h.call('ListPods', { cluster, grid, pageSize: 1000 })).pods;

  const podsOnceSettled = async (grid: string, check: (pods: Pod[]) => boolean): Promise<Pod[]> => {
    let settled: Pod[] = [];
    await eventually(async () => {
      settled = await pods(grid);
      return check(settled);
    }, 30_000);
    return settled;
  };

  beforeAll(async () => {
    await h.publish('ClusterCreated', `cluster-${clusterId}`, clusterCreated(clusterId, cluster));
    for (const [unit, nodes] of Object.entries(units))
      for (const node of nodes) {
        await h.publish('NodeJoined', `node-${clusterId}-${node}`, nodeJoined(clusterId, node));
        await h.publish('NodeMembershipChanged', `nodemembership:${clusterId}:${node}`, {
          ...membershipChanged(clusterId, node, [unit]),
          groups: { location: unit },
        });
      }
    await groupUnits(['beijing', 'guangzhou'], 1);
    await h.upstreamSettled(clusterId, 5, { location: ['beijing', 'guangzhou'] });
    // and the cluster itself: a Get answers NOT_FOUND for the grid, not for the cluster
    await eventually(async () => {
      const err = await h.call('GetGrid', { cluster, name: 'echo' }).catch((e: grpc.ServiceError) => e);
      return err instanceof Error && /Grid/.test(err.message);
    }, 30_000);
  });

  it('bad YAML is INVALID_ARGUMENT naming the field, and nothing is stored', async () => {
    const before = await h.eventCount();
    const yaml = deploymentGrid('broken', 1).replace('  gridUniqKey: location\n', '');
    const err = await h.call('Apply', { cluster, yaml }).catch((e: grpc.ServiceError) => e);
    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    const fields = fieldViolationsOf(err).map((v) => v.field);
    expect(
      fields.some((f) => f.includes('gridUniqKey')),
      JSON.stringify(fields),
    ).toBe(true);
    expect(await h.eventCount()).toBe(before);
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from({ length: 9 }, (_, i) => {
        const prev = i === 0 ? 'a' : String.fromCharCode(97 + i);
        return `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`;
      }),
    ].join('\n');
    const hostile = [
      'kind: [',
      bomb,
      '['.repeat(200) + ']'.repeat(200),
      Array.from({ length: 300 }, () => 'kind: DeploymentGrid').join('\n---\n'),
      'just a string',
      deploymentGrid('Bad_Name', 1),
      deploymentGrid('big', 1).replace('replicas: 1', 'replicas: -3'),
      deploymentGrid('img', 1).replace('image: busybox:1.36', 'image: 42'),
      'apiVersion: superedge.io/v1\nkind: DeploymentGrid\nmetadata: {name: x, __proto__: {polluted: 1}}\nspec: {gridUniqKey: constructor}',
    ];
    for (const yaml of hostile) {
      const err = await h.call('Apply', { cluster, yaml }).catch((e: grpc.ServiceError) => e);
      expect(err.code, yaml.slice(0, 60)).toBe(grpc.status.INVALID_ARGUMENT);
      expect(err.details.length).toBeLessThan(1100);
    }
    expect(await h.eventCount()).toBe(before);
  });

  it('applies a DeploymentGrid: one child per unit, every pod on a node of its own unit', async () => {
    // a dry run decides everything and keeps nothing
    const before = await h.eventCount();
    const dry = await h.call('Apply', { cluster, yaml: deploymentGrid('echo', 2), dryRun: true });
    expect(dry.grids).toEqual([expect.objectContaining({ name: 'echo', action: 'created' })]);
    expect(await h.eventCount()).toBe(before);
    const absent = await h.call('GetGrid', { cluster, name: 'echo' }).catch((e: grpc.ServiceError) => e);
    expect(absent.code).toBe(grpc.status.NOT_FOUND);

    const res = await h.call('Apply', { cluster, yaml: deploymentGrid('echo', 2) });
    expect(res.grids).toEqual([
      expect.objectContaining({ kind: 'DeploymentGrid', name: 'echo', action: 'created' }),
    ]);
    const grid = await h.call('GetGrid', { cluster, name: 'echo' });
    expect(grid.children.map((c: { name: string }) => c.name).sort()).toEqual([
      'echo-beijing',
      'echo-guangzhou',
    ]);
    const list = await pods();
    expect(list).toHaveLength(4);
    for (const p of list) {
      expect(p.phase).toBe('Scheduled');
      expect(units[p.unit]).toContain(p.node);
    }
    // the children render to apps/v1 Deployments
    const rendered = await h.call('Render', { cluster, name: 'echo' });
    expect(
      rendered.objects.map((o: { kind: string; apiVersion: string }) => `${o.apiVersion}/${o.kind}`),
    ).toEqual(['apps/v1/Deployment', 'apps/v1/Deployment']);
    // a second apply of the same YAML appends nothing
    const settled = await h.eventCount();
    const again = await h.call('Apply', { cluster, yaml: deploymentGrid('echo', 2) });
    expect(again.grids[0].action).toBe('unchanged');
    expect(await h.eventCount()).toBe(settled);
    // and the agents' desired state is published per node
    await eventually(() => {
      const byNode = h.nodePods(clusterId);
      return [...byNode.values()].flat().length === 4;
    }, 15_000);
    const assigned = h.published.find((e) => e.type === 'NodePodsAssigned');
    const spec = (assigned?.data as { pods: { spec: { containers: { image: string }[] } }[] }).pods[0]?.spec;
    expect(spec?.containers[0]?.image).toBe('busybox:1.36');
  });

  it('a unit joining the group gets its child and pods; a unit leaving loses them', async () => {
    units.shanghai = ['sh-1'];
    await h.publish('NodeJoined', `node-${clusterId}-sh-1`, nodeJoined(clusterId, 'sh-1'));
    await h.publish('NodeMembershipChanged', `nodemembership:${clusterId}:sh-1`, {
      ...membershipChanged(clusterId, 'sh-1', ['shanghai']),
      groups: { location: 'shanghai' },
    });
    await groupUnits(['beijing', 'guangzhou', 'shanghai'], 2);
    const list = await podsOnceSettled(
      'echo',
      (l) => l.filter((p) => p.unit === 'shanghai' && p.node === 'sh-1').length === 2,
    );
    expect(list).toHaveLength(6);
    const grid = await h.call('GetGrid', { cluster, name: 'echo' });
    expect(grid.children.map((c: { name: string }) => c.name).sort()).toEqual([
      'echo-beijing',
      'echo-guangzhou',
      'echo-shanghai',
    ]);

    await groupUnits(['beijing', 'shanghai'], 3);
    const after = await podsOnceSettled('echo', (l) => !l.some((p) => p.unit === 'guangzhou'));
    expect(after).toHaveLength(4);
    const g2 = await h.call('GetGrid', { cluster, name: 'echo' });
    expect(g2.children.map((c: { name: string }) => c.name).sort()).toEqual([
      'echo-beijing',
      'echo-shanghai',
    ]);
    await eventually(() => {
      const byNode = h.nodePods(clusterId);
      return (byNode.get('gz-1') ?? []).length === 0 && (byNode.get('gz-2') ?? []).length === 0;
    }, 15_000);
  });

  it('a cordoned node gets no new pods; an eviction verdict moves its pods inside the unit', async () => {
    await h.publish('NodeCordoned', `node-${clusterId}-bj-3`, {
      clusterId,
      nodeName: 'bj-3',
      holder: 'operator',
      reason: 'maintenance',
      cordonedAt: new Date().toISOString(),
    });
    const onBj3Before = (await pods()).filter((p) => p.node === 'bj-3').map((p) => p.name);
    // the consumer applied the cordon (the service's own node projection)
    await eventually(() => h.cordoned(clusterId, 'bj-3'), 15_000);
    await h.call('Apply', { cluster, yaml: deploymentGrid('echo', 6) });
    const scaled = await pods();
    const beijing = scaled.filter((p) => p.unit === 'beijing');
    expect(beijing).toHaveLength(6);
    const newOnBj3 = beijing.filter((p) => p.node === 'bj-3' && !onBj3Before.includes(p.name));
    expect(newOnBj3).toEqual([]);

    const onBj1 = beijing.filter((p) => p.node === 'bj-1').map((p) => p.name);
    expect(onBj1.length).toBeGreaterThan(0);
    await h.publish('NodeVerdictChanged', `health-verdict:${clusterId}:bj-1`, verdict(clusterId, 'bj-1'));
    const moved = await podsOnceSettled('echo', (l) => !l.some((p) => p.node === 'bj-1'));
    for (const name of onBj1) {
      const p = moved.find((x) => x.name === name);
      expect(p, name).toBeDefined();
      // moved inside its unit, never onto the cordoned node
      expect(p!.node).toBe('bj-2');
    }
  });

  it('a drained node gives up its pods; with no room they stay Pending with the reason; uncordon brings room back', async () => {
    const now = () => new Date().toISOString();
    await h.publish('NodeCordoned', `node-${clusterId}-bj-2`, {
      clusterId,
      nodeName: 'bj-2',
      holder: 'operator',
      reason: 'drain',
      cordonedAt: now(),
    });
    await h.publish('NodeDrainRequested', `node-${clusterId}-bj-2`, {
      clusterId,
      nodeName: 'bj-2',
      requestId: 'drain-1',
      gracePeriodSeconds: 0,
      requestedAt: now(),
    });
    // bj-1 is evicted, bj-3 cordoned, bj-2 drained: no node of beijing can take a pod
    const pending = await podsOnceSettled('echo', (l) =>
      l.filter((p) => p.unit === 'beijing').every((p) => p.phase === 'Pending'),
    );
    const beijing = pending.filter((p) => p.unit === 'beijing');
    expect(beijing).toHaveLength(6);
    for (const p of beijing) expect(p.reason).not.toBe('');
    // pods never leave their unit to find room
    expect(pending.filter((p) => p.unit === 'shanghai').every((p) => p.node === 'sh-1')).toBe(true);

    await h.publish('NodeUncordoned', `node-${clusterId}-bj-3`, {
      clusterId,
      nodeName: 'bj-3',
      holder: 'operator',
      stillCordonedBy: [],
      uncordonedAt: now(),
    });
    const back = await podsOnceSettled('echo', (l) =>
      l.filter((p) => p.unit === 'beijing').every((p) => p.node === 'bj-3'),
    );
    expect(back.filter((p) => p.node === 'bj-3')).toHaveLength(6);
    await eventually(() => (h.nodePods(clusterId).get('bj-3') ?? []).length === 6, 15_000);
    expect(h.nodePods(clusterId).get('bj-2') ?? []).toEqual([]);
  });

  it('a ServiceGrid renders to one v1 Service; lists are paged and bounded', async () => {
    const svc = `
apiVersion: superedge.io/v1
kind: ServiceGrid
metadata:
  name: echo-svc
spec:
  gridUniqKey: location
  template:
    selector:
      app: echo
    ports:
      - port: 80
        targetPort: 8080
`;
    const res = await h.call('Apply', { cluster, yaml: svc });
    expect(res.grids).toEqual([
      expect.objectContaining({ kind: 'ServiceGrid', name: 'echo-svc', action: 'created' }),
    ]);
    const rendered = await h.call('Render', { cluster, name: 'echo-svc' });
    expect(
      rendered.objects.map((o: { apiVersion: string; kind: string }) => `${o.apiVersion}/${o.kind}`),
    ).toEqual(['v1/Service']);
    // per unit: only the pods on that unit's nodes
    const endpointsOf = async () => {
      const g = await h.call('GetGrid', { cluster, name: 'echo-svc' });
      return Object.fromEntries(
        g.endpoints.map((u: { unit: string; endpoints: { node: string }[] }) => [
          u.unit,
          u.endpoints.map((e) => e.node),
        ]),
      );
    };
    expect(await endpointsOf()).toEqual({ beijing: Array(6).fill('bj-3'), shanghai: Array(6).fill('sh-1') });
    // the only node of shanghai evicted: shanghai has no endpoint (503 there), never beijing's
    await h.publish('NodeVerdictChanged', `health-verdict:${clusterId}:sh-1`, verdict(clusterId, 'sh-1'));
    await eventually(async () => (await endpointsOf()).shanghai?.length === 0, 30_000);
    expect((await endpointsOf()).beijing).toHaveLength(6);
    await eventually(
      () =>
        h.published.some(
          (e) =>
            e.type === 'ServiceEndpointsChanged' &&
            (e.data as { unit: string; endpoints: unknown[] }).unit === 'shanghai' &&
            (e.data as { endpoints: unknown[] }).endpoints.length === 0,
        ),
      15_000,
    );

    const kinds = await h.call('ListGrids', { cluster, kind: 'ServiceGrid' });
    expect(kinds.grids.map((g: { name: string }) => g.name)).toEqual(['echo-svc']);

    const first = await h.call('ListPods', { cluster, grid: 'echo', pageSize: 2 });
    expect(first.pods).toHaveLength(2);
    expect(first.nextPageToken).not.toBe('');
    const rest = await h.call('ListPods', {
      cluster,
      grid: 'echo',
      pageSize: 1000,
      pageToken: first.nextPageToken,
    });
    const all = await pods();
    expect([...first.pods, ...rest.pods].map((p: Pod) => p.name)).toEqual(all.map((p) => p.name));

    const refused = async (method: string, request: unknown) => {
      const err = await h.call(method, request).catch((e: grpc.ServiceError) => e);
      return { code: err.code, fields: fieldViolationsOf(err).map((v) => v.field) };
    };
    expect(await refused('ListPods', { cluster, pageSize: 5000 })).toEqual({
      code: grpc.status.INVALID_ARGUMENT,
      fields: ['pageSize'],
    });
    expect(await refused('ListPods', { cluster, pageToken: 'garbage' })).toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      fields: ['pageToken'],
    });
    expect(await refused('ListGrids', { cluster, kind: 'Bogus' })).toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      fields: ['kind'],
    });
    expect(await refused('GetGrid', { cluster, name: 'a\0b' })).toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      fields: ['name'],
    });
    expect((await refused('GetGrid', { cluster: 'no-such-cluster', name: 'echo' })).code).toBe(
      grpc.status.NOT_FOUND,
    );
    expect((await refused('GetPod', { cluster, name: 'no-such-pod' })).code).toBe(grpc.status.NOT_FOUND);
  });

  it('a frozen (dark) unit keeps its pods where they are, even on a node judged NotReadyNoExecute', async () => {
    const before = (await pods()).filter((p) => p.unit === 'beijing');
    expect(before.every((p) => p.node === 'bj-3')).toBe(true);
    await h.publish(
      'NodeVerdictChanged',
      `health-verdict:${clusterId}:bj-3`,
      verdict(clusterId, 'bj-3', ['beijing']),
    );
    // the verdict is applied (bj-3's row carries it) and a reconcile ran: nothing moved
    await eventually(async () => {
      const row = await h.svc.db
        .withSchema(h.schema)
        .selectFrom('proj_nodes' as never)
        .select('verdict' as never)
        .where('cluster_id' as never, '=', clusterId as never)
        .where('name' as never, '=', 'bj-3' as never)
        .executeTakeFirst();
      return JSON.stringify(row).includes('NotReadyNoExecute');
    }, 15_000);
    await new Promise((r) => setTimeout(r, 1500));
    const after = (await pods()).filter((p) => p.unit === 'beijing');
    expect(after.map((p) => [p.name, p.node])).toEqual(before.map((p) => [p.name, p.node]));
  });

  it("places against the allocatable the node's agent reports: too big → Pending with the reason, a bigger report → placed", async () => {
    // a group of its own (unit tiny, node t-1), so the other cases' nodes play no part
    await h.publish('NodeJoined', `node-${clusterId}-t-1`, nodeJoined(clusterId, 't-1'));
    await h.publish('NodeMembershipChanged', `nodemembership:${clusterId}:t-1`, {
      ...membershipChanged(clusterId, 't-1', ['tiny']),
      groups: { sized: 'tiny' },
    });
    await h.publish('NodeGroupUnitsChanged', `nodegroup:${clusterId}:sized`, {
      clusterId,
      name: 'sized',
      units: ['tiny'],
      added: ['tiny'],
      removed: [],
      at: new Date().toISOString(),
    });
    const size = (cpuMilli: number, memoryBytes: number) =>
      h.publish('NodePodsStatusReported', `podstatus:${clusterId}:t-1`, {
        clusterId,
        node: 't-1',
        pods: [],
        podsStreamVersion: 0,
        runtime: 'cri',
        allocatable: { cpuMilli, memoryBytes, pods: 110 },
        reportedAt: new Date().toISOString(),
      });
    await size(1000, 2 ** 30);
    await eventually(async () => {
      const row = await h.svc.db
        .withSchema(h.schema)
        .selectFrom('proj_pod_status' as never)
        .select('allocatable' as never)
        .where('cluster_id' as never, '=', clusterId as never)
        .where('node' as never, '=', 't-1' as never)
        .executeTakeFirst();
      return JSON.stringify(row).includes('"cpuMilli":1000');
    }, 15_000);
    const yaml = deploymentGrid('sized', 1)
      .replace('gridUniqKey: location', 'gridUniqKey: sized')
      .replace(
        'image: busybox:1.36',
        'image: busybox:1.36\n            resources: { requests: { cpu: 1500m, memory: 256Mi } }',
      );
    await h.call('Apply', { cluster, yaml });
    const [stuck] = await podsOnceSettled('sized', (l) => l.length === 1);
    expect(stuck).toMatchObject({ unit: 'tiny', phase: 'Pending' });
    expect(stuck!.node || null).toBeNull();
    expect(stuck!.reason).toBe('0/1 nodes are available: 1 Insufficient cpu.');
    // the agent now says 2 CPUs: the pod gets the node (the report alone reconciles)
    await size(2000, 2 ** 30);
    const [placed] = await podsOnceSettled('sized', (l) => l[0]?.node === 't-1');
    expect(placed!.phase).not.toBe('Pending');
    await eventually(() => (h.nodePods(clusterId).get('t-1') ?? []).length === 1, 15_000);
  });

  it("ListPods/GetPod carry what the node's agent reported: not yet (reported false), ready with its IP, a failure's reason", async () => {
    // the 'sized' grid of the case before: one pod on t-1
    const [pod] = await podsOnceSettled('sized', (l) => l[0]?.node === 't-1');
    expect(pod).toMatchObject({ reported: true, ready: false, failed: false, statusReason: '', ip: '' });
    const report = (p: Record<string, unknown>) =>
      h.publish('NodePodsStatusReported', `podstatus:${clusterId}:t-1`, {
        clusterId,
        node: 't-1',
        pods: [
          {
            uid: 'u-1',
            name: pod!.name,
            namespace: 'default',
            phase: 'Running',
            ready: true,
            restarts: 0,
            containers: [],
            ...p,
          },
        ],
        podsStreamVersion: 1,
        runtime: 'cri',
        allocatable: { cpuMilli: 2000, memoryBytes: 2 ** 30, pods: 110 },
        reportedAt: new Date().toISOString(),
      });
    await report({ podIP: '10.9.0.7' });
    const ready = await podsOnceSettled('sized', (l) => l[0]?.ready === true);
    expect(ready[0]).toMatchObject({ reported: true, ready: true, failed: false, ip: '10.9.0.7' });
    expect(await h.call('GetPod', { cluster, name: pod!.name })).toMatchObject({
      ready: true,
      ip: '10.9.0.7',
    });
    await report({ phase: 'Pending', ready: false, reason: 'ErrImagePull' });
    const failed = await podsOnceSettled('sized', (l) => l[0]?.failed === true);
    expect(failed[0]).toMatchObject({
      reported: true,
      ready: false,
      failed: true,
      statusReason: 'ErrImagePull',
    });
    // a node that never reported: nothing claimed
    const echo = await pods('echo');
    expect(echo.filter((p) => p.node).every((p) => !p.reported && !p.ready && p.ip === '')).toBe(true);
  });

  it('the snapshot (proj_grids) and proj_pods, written event by event, equal the fold of each grid stream', async () => {
    const rows = (await h.svc.db
      .withSchema(h.schema)
      .selectFrom('proj_grids' as never)
      .select(['name', 'state', 'stream_version'] as never)
      .where('cluster_id' as never, '=', clusterId as never)
      .execute()) as unknown as { name: string; state: unknown; stream_version: number }[];
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) {
      const events = await h.svc.store.readStream(`grid:${clusterId}:${row.name}`);
      expect(row.stream_version, row.name).toBe(events.at(-1)!.streamVersion);
      const folded = events.reduce(
        (state, e) => evolveGrid(state, { type: e.type, data: e.data } as GridEvent),
        initialGridState,
      );
      expect(row.state, row.name).toEqual(JSON.parse(JSON.stringify(folded)));
      const pods = (await h.svc.db
        .withSchema(h.schema)
        .selectFrom('proj_pods' as never)
        .select(['name', 'node', 'unit', 'revision'] as never)
        .where('cluster_id' as never, '=', clusterId as never)
        .where('grid' as never, '=', row.name as never)
        .execute()) as unknown as { name: string; node: string | null; unit: string; revision: string }[];
      const want = Object.entries((folded as ActiveGridState).pods).map(([name, p]) => ({
        name,
        node: p.node,
        unit: p.unit,
        revision: p.revision,
      }));
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      expect(pods.sort(byName), row.name).toEqual(want.sort(byName));
    }
  });
});

function verdict(clusterId: string, node: string, darkUnits: string[] = []) {
  const at = new Date().toISOString();
  return {
    clusterId,
    node,
    verdict: 'NotReadyNoExecute',
    previous: 'Ready',
    taints: [{ key: 'node.kubernetes.io/unreachable', value: '', effect: 'NoExecute' }],
    condition: { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: '' },
    rule: 'peers-confirm-down',
    evidence: {
      cloudLastSeen: null,
      cloudLost: true,
      scope: 'units',
      units: ['beijing'],
      peers: [],
      peersOmitted: 0,
      quorum: { peerSetSize: 2, needed: 2, fresh: 2, healthyVotes: 0, unhealthyVotes: 2, abstained: 0 },
      frozen: darkUnits.length > 0,
      darkUnits,
    },
    at,
  };
}
