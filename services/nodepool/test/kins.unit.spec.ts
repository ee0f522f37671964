import { describe, expect, it } from 'vitest';
import { DeciderSpecification, IllegalStateError, NotFoundError, ValidationError } from '@edgeplane/es-kit';
import {
  allocateRanges,
  cidrsOverlap,
  clusterDnsOf,
  hashProxyPassword,
  nodeUnitDecider,
  verifyProxyPassword,
  type HostCluster,
  type NodeUnitCommand,
  type NodeUnitEvent,
  type NodeUnitState,
} from '../src/index.js';
import { fold } from '@edgeplane/es-kit';
import { CLUSTER, LATER, NOW } from './fixtures.js';

const spec = DeciderSpecification(nodeUnitDecider);
const host: HostCluster = {
  kubernetesVersion: '1.22.5',
  runtime: 'containerd',
  podCidr: '172.16.0.0/16',
  serviceCidr: '10.96.0.0/16',
};
const HASH = '$2b$04$abcdefghijklmnopqrstuu5cbbQe6mVLG3VqoA/K.5VPRjpzM1kDC';
const HASH2 = '$2b$04$abcdefghijklmnopqrstuuHYw0pQ8cj1JKkZQ2tGpJ3D6s9QxC7ZK';

const created: NodeUnitEvent = {
  type: 'NodeUnitCreated',
  data: {
    clusterId: CLUSTER,
    name: 'demo',
    type: 'edge',
    nodes: [],
    allNodes: false,
    setNode: { labels: {}, annotations: {}, taints: [] },
    labels: {},
    default: false,
    at: NOW,
  },
};
const members = (...names: string[]): NodeUnitEvent => ({
  type: 'NodeUnitMembersChanged',
  data: { clusterId: CLUSTER, name: 'demo', members: names, added: names, removed: [], at: NOW },
});
const withNodes = (n: number) => [created, members(...Array.from({ length: n }, (_, i) => `n${i + 1}`))];
type PromoteCommand = Extract<NodeUnitCommand, { type: 'PromoteNodeUnit' }>;
const promote = (mode: 'single' | 'ha', extra: Partial<PromoteCommand> = {}): PromoteCommand => ({
  type: 'PromoteNodeUnit',
  clusterId: CLUSTER,
  name: 'demo',
  now: NOW,
  mode,
  host,
  taken: [],
  ...extra,
});
const cmd = <T extends NodeUnitCommand['type']>(type: T, extra: object = {}) =>
  ({ type, clusterId: CLUSTER, name: 'demo', now: LATER, ...extra }) as Extract<NodeUnitCommand, { type: T }>;

function promotedEvent(n: number, mode: 'single' | 'ha'): NodeUnitEvent {
  return spec.given(withNodes(n)).when(promote(mode)).events()[0] as NodeUnitEvent;
}
const report = (phase: 'running' | 'failed' | 'uninstalled', extra: object = {}) =>
  cmd('ReportKinsStatus', { generation: 1, phase, ...extra });
const running = (n = 3, mode: 'single' | 'ha' = 'single'): NodeUnitEvent[] => {
  const p = promotedEvent(n, mode);
  return [
    ...withNodes(n),
    p,
    ...spec
      .given([...withNodes(n), p])
      .when(report('running', { apiServerEndpoint: 'https://n1:6443' }))
      .events(),
  ];
};
const state = (events: NodeUnitEvent[]) =>
  fold(nodeUnitDecider, events) as Extract<NodeUnitState, { status: 'active' }>;

describe('Kins — PromoteNodeUnit: node-count rules', () => {
  it('1 node: single master, that node is the server', () => {
    spec
      .given(withNodes(1))
      .when(promote('single'))
      .then([
        {
          type: 'KinsPromotionRequested',
          data: {
            clusterId: CLUSTER,
            unit: 'demo',
            generation: 1,
            mode: 'single',
            kubernetesVersion: '1.22.5',
            nodes: [{ name: 'n1', role: 'server' }],
            serviceCidr: '26.0.0.0/16',
            clusterDns: '26.0.0.10',
            nodePortRange: { from: 40000, to: 40999 },
            kubeconfigs: {
              internal: `kins://${CLUSTER}/demo/1/internal`,
              public: `kins://${CLUSTER}/demo/1/public`,
            },
            at: NOW,
          },
        },
      ]);
    spec
      .given(withNodes(1))
      .when(promote('ha'))
      .thenThrows(ValidationError, (e) => e.message.includes('has 1 (n1)'));
  });

  it('2 nodes: single master only (one server, one agent); HA refused', () => {
    expect(promotedEvent(2, 'single').data).toMatchObject({
      nodes: [
        { name: 'n1', role: 'server' },
        { name: 'n2', role: 'agent' },
      ],
    });
    spec
      .given(withNodes(2))
      .when(promote('ha'))
      .thenThrows(
        ValidationError,
        (e: ValidationError) => e.violations[0]?.field === 'mode' && e.message.includes('has 2 (n1, n2)'),
      );
  });

  it('3 nodes: single master or 3-master HA', () => {
    expect(promotedEvent(3, 'single').data).toMatchObject({
      nodes: [{ role: 'server' }, { role: 'agent' }, { role: 'agent' }],
    });
    expect(promotedEvent(3, 'ha').data).toMatchObject({
      mode: 'ha',
      nodes: [{ role: 'server' }, { role: 'server' }, { role: 'server' }],
    });
  });

  it('4 nodes: HA has exactly 3 servers and 1 agent; operator may choose the servers', () => {
    const roles = (promotedEvent(4, 'ha').data as { nodes: { role: string }[] }).nodes.map((n) => n.role);
    expect(roles).toEqual(['server', 'server', 'server', 'agent']);
    const chosen = spec
      .given(withNodes(4))
      .when(promote('ha', { servers: ['n2', 'n3', 'n4'] }))
      .events()[0];
    expect(chosen?.data).toMatchObject({
      nodes: [
        { name: 'n1', role: 'agent' },
        { name: 'n2', role: 'server' },
        { name: 'n3', role: 'server' },
        { name: 'n4', role: 'server' },
      ],
    });
    spec
      .given(withNodes(4))
      .when(promote('ha', { servers: ['n1', 'n2'] }))
      .thenThrows(ValidationError, (e) => e.message.includes('exactly 3'));
    spec
      .given(withNodes(4))
      .when(promote('single', { servers: ['x9'] }))
      .thenThrows(ValidationError, (e) => e.message.includes('"x9" is not a member'));
  });

  it('0 nodes: refused', () => {
    spec
      .given([created])
      .when(promote('single'))
      .thenThrows(IllegalStateError, (e) => e.message.includes('no nodes'));
  });
});

describe('Kins — PromoteNodeUnit: host cluster and ranges', () => {
  it('refuses a wrong Kubernetes version, a wrong runtime, or both', () => {
    spec
      .given(withNodes(3))
      .when(promote('single', { host: { ...host, kubernetesVersion: '1.20.6' } }))
      .thenThrows(IllegalStateError, (e) => e.message.includes('Kubernetes 1.20.6'));
    spec
      .given(withNodes(3))
      .when(promote('single', { host: { ...host, runtime: 'docker' } }))
      .thenThrows(IllegalStateError, (e) => e.message.includes('runtime docker'));
    spec
      .given(withNodes(3))
      .when(promote('single', { host: { ...host, kubernetesVersion: '1.18.2', runtime: 'docker' } }))
      .thenThrows(IllegalStateError, (e) => e.message.includes('1.18.2') && e.message.includes('docker'));
    expect(
      spec
        .given(withNodes(1))
        .when(promote('single', { host: { ...host, kubernetesVersion: 'v1.22' } }))
        .events(),
    ).toHaveLength(1);
  });

  it('allocates the lowest free service CIDR and NodePort block, not "count of units" (SuperEdge bug)', () => {
    const taken = [{ unit: 'b', serviceCidr: '26.1.0.0/16', nodePortRange: { from: 41000, to: 41999 } }];
    expect(spec.given(withNodes(1)).when(promote('single', { taken })).events()[0]?.data).toMatchObject({
      serviceCidr: '26.0.0.0/16',
      nodePortRange: { from: 40000, to: 40999 },
    });
    const both = [
      ...taken,
      { unit: 'a', serviceCidr: '26.0.0.0/16', nodePortRange: { from: 40000, to: 40999 } },
    ];
    expect(
      spec
        .given(withNodes(1))
        .when(promote('single', { taken: both }))
        .events()[0]?.data,
    ).toMatchObject({
      serviceCidr: '26.2.0.0/16',
      clusterDns: '26.2.0.10',
      nodePortRange: { from: 42000, to: 42999 },
    });
  });

  it('refuses overrides that overlap another K3s unit or the host cluster, naming both ranges', () => {
    const taken = [
      { unit: 'guangzhou', serviceCidr: '26.0.0.0/16', nodePortRange: { from: 40000, to: 40999 } },
    ];
    spec
      .given(withNodes(1))
      .when(
        promote('single', { taken, serviceCidr: '26.0.128.0/17', nodePortRange: { from: 40500, to: 40600 } }),
      )
      .thenThrows(
        ValidationError,
        (e: ValidationError) =>
          e.violations.length === 2 &&
          e.message.includes(
            '26.0.128.0/17 overlaps 26.0.0.0/16, the service CIDR of K3s unit "guangzhou"',
          ) &&
          e.message.includes('40500-40600 overlaps 40000-40999, the NodePort range of K3s unit "guangzhou"'),
      );
    spec
      .given(withNodes(1))
      .when(promote('single', { serviceCidr: '10.96.0.0/20' }))
      .thenThrows(ValidationError, (e) => e.message.includes("the cluster's Service CIDR"));
    spec
      .given(withNodes(1))
      .when(promote('single', { nodePortRange: { from: 32000, to: 33000 } }))
      .thenThrows(ValidationError, (e) => e.message.includes("the cluster's NodePort range"));
    spec
      .given(withNodes(1))
      .when(promote('single', { serviceCidr: 'not-a-cidr' }))
      .thenThrows(ValidationError, (e) => e.message.includes('not an IPv4 CIDR'));
    const ok = spec
      .given(withNodes(1))
      .when(
        promote('single', { taken, serviceCidr: '26.9.0.0/16', nodePortRange: { from: 50000, to: 50999 } }),
      )
      .events();
    expect(ok[0]?.data).toMatchObject({
      serviceCidr: '26.9.0.0/16',
      nodePortRange: { from: 50000, to: 50999 },
    });
  });

  it('range helpers', () => {
    expect(cidrsOverlap('10.0.0.0/8', '10.1.0.0/16')).toBe(true);
    expect(cidrsOverlap('10.1.0.0/16', '10.2.0.0/16')).toBe(false);
    expect(clusterDnsOf('26.3.0.0/16')).toBe('26.3.0.10');
    expect(allocateRanges(host, []).serviceCidr).toBe('26.0.0.0/16');
  });

  it('refuses the default unit, an unknown unit and a bad mode', () => {
    const def: NodeUnitEvent = {
      type: 'NodeUnitCreated',
      data: {
        ...(created.data as object),
        name: 'unit-node-all',
        type: 'other',
        allNodes: true,
        default: true,
      } as never,
    };
    spec
      .given([def])
      .when({ ...promote('single'), name: 'unit-node-all' })
      .thenThrows(IllegalStateError, (e) => e.message.includes('default unit'));
    spec.given([]).when(promote('single')).thenThrows(NotFoundError);
    spec
      .given(withNodes(1))
      .when(promote('double' as 'single'))
      .thenThrows(ValidationError);
  });

  it('is idempotent for the same mode and refuses another mode, a failed or a demoting unit', () => {
    const p = promotedEvent(3, 'single');
    spec
      .given([...withNodes(3), p])
      .when(promote('single'))
      .thenNothingHappens();
    spec
      .given([...withNodes(3), p])
      .when(promote('ha'))
      .thenThrows(IllegalStateError, (e) => e.message.includes('demote first'));
    const failed = spec
      .given([...withNodes(3), p])
      .when(report('failed', { message: 'image pull' }))
      .events();
    spec
      .given([...withNodes(3), p, ...failed])
      .when(promote('single'))
      .thenThrows(IllegalStateError, (e) => e.message.includes('image pull'));
    const demoting = spec
      .given([...withNodes(3), p])
      .when(cmd('DemoteNodeUnit'))
      .events();
    spec
      .given([...withNodes(3), p, ...demoting])
      .when(promote('single'))
      .thenThrows(IllegalStateError, (e) => e.message.includes('being demoted'));
  });
});

describe('Kins — agent reports drive the status', () => {
  it('Promoting → Independent on "running"; then idempotent', () => {
    const events = running();
    expect(events.at(-1)).toEqual({
      type: 'NodeUnitUpgradedToK3s',
      data: {
        clusterId: CLUSTER,
        unit: 'demo',
        generation: 1,
        apiServerEndpoint: 'https://n1:6443',
        at: LATER,
      },
    });
    expect(state(events).kins).toMatchObject({ phase: 'independent', apiServerEndpoint: 'https://n1:6443' });
    spec.given(events).when(report('running')).thenNothingHappens();
  });

  it('Promoting → Failed on "failed", and a later "running" recovers', () => {
    const p = [...withNodes(1), promotedEvent(1, 'single')];
    const failed = spec
      .given(p)
      .when(report('failed', { message: 'k3s server crashloop' }))
      .events();
    expect(failed).toEqual([
      {
        type: 'KinsClusterFailed',
        data: { clusterId: CLUSTER, unit: 'demo', generation: 1, reason: 'k3s server crashloop', at: LATER },
      },
    ]);
    expect(state([...p, ...failed]).kins).toMatchObject({
      phase: 'failed',
      failureReason: 'k3s server crashloop',
    });
    spec
      .given([...p, ...failed])
      .when(report('failed', { message: 'k3s server crashloop' }))
      .thenNothingHappens();
    const back = spec
      .given([...p, ...failed])
      .when(report('running'))
      .events();
    expect(state([...p, ...failed, ...back]).kins).toMatchObject({ phase: 'independent' });
    expect(state([...p, ...failed, ...back]).kins).not.toHaveProperty('failureReason');
  });

  it('ignores a stale report of an earlier promotion', () => {
    spec
      .given(running())
      .when(report('failed', { generation: 7, message: 'old' }))
      .thenNothingHappens();
  });

  it('refuses reports for a normal unit and "uninstalled" outside a demotion', () => {
    spec
      .given(withNodes(1))
      .when(report('running'))
      .thenThrows(IllegalStateError, (e) => e.message.includes('not a K3s unit'));
    spec.given(withNodes(1)).when(report('uninstalled')).thenNothingHappens();
    spec
      .given(running())
      .when(report('uninstalled'))
      .thenThrows(IllegalStateError, (e) => e.message.includes('not being demoted'));
  });
});

describe('Kins — membership changes while independent', () => {
  it('a new member is asked to join as agent, a departing one to leave', () => {
    const events = running(3);
    spec
      .given(events)
      .when(cmd('ResolveNodeUnitMembers', { members: ['n1', 'n2', 'n4'] }))
      .then([
        {
          type: 'NodeUnitMembersChanged',
          data: {
            clusterId: CLUSTER,
            name: 'demo',
            members: ['n1', 'n2', 'n4'],
            added: ['n4'],
            removed: ['n3'],
            at: LATER,
          },
        },
        {
          type: 'KinsNodeJoinRequested',
          data: { clusterId: CLUSTER, unit: 'demo', generation: 1, node: 'n4', role: 'agent', at: LATER },
        },
        {
          type: 'KinsNodeLeaveRequested',
          data: { clusterId: CLUSTER, unit: 'demo', generation: 1, node: 'n3', role: 'agent', at: LATER },
        },
      ]);
    const after = spec
      .given(events)
      .when(cmd('ResolveNodeUnitMembers', { members: ['n1', 'n2', 'n4'] }))
      .events();
    expect(state([...events, ...after]).kins).toMatchObject({
      nodes: [
        { name: 'n1', role: 'server' },
        { name: 'n2', role: 'agent' },
        { name: 'n4', role: 'agent' },
      ],
    });
  });

  it('a normal unit emits no Kins commands on membership changes', () => {
    const events = spec
      .given(withNodes(1))
      .when(cmd('ResolveNodeUnitMembers', { members: ['n1', 'n2'] }))
      .events();
    expect(events.map((e) => e.type)).toEqual(['NodeUnitMembersChanged']);
  });

  it('refuses an update that drops a K3s server from the unit', () => {
    const nodes = ['n1', 'n2', 'n3'].map((name) => ({ name, labels: {} }));
    const explicit: NodeUnitEvent = {
      type: 'NodeUnitUpdated',
      data: {
        clusterId: CLUSTER,
        name: 'demo',
        type: 'edge',
        nodes: ['n1', 'n2', 'n3'],
        allNodes: false,
        setNode: { labels: {}, annotations: {}, taints: [] },
        labels: {},
        at: NOW,
      },
    };
    const events = [created, explicit, members('n1', 'n2', 'n3')];
    const p = spec.given(events).when(promote('single')).events();
    const w = { nodes, units: [], groups: [] };
    spec
      .given([...events, ...p])
      .when(cmd('UpdateNodeUnit', { spec: { nodes: ['n2', 'n3'] }, world: w }))
      .thenThrows(IllegalStateError, (e) => e.message.includes('"n1" is a K3s server of unit "demo"'));
    expect(
      spec
        .given([...events, ...p])
        .when(cmd('UpdateNodeUnit', { spec: { nodes: ['n1', 'n2'] }, world: w }))
        .events(),
    ).toHaveLength(1);
  });
});

describe('Kins — public access', () => {
  it('needs a bcrypt-hashed operator password; rotating it re-emits; same hash is idempotent', () => {
    const events = running();
    const enabled = spec
      .given(events)
      .when(cmd('EnableKinsPublicAccess', { passwordHash: HASH }))
      .events();
    expect(enabled).toEqual([
      {
        type: 'KinsPublicAccessEnabled',
        data: { clusterId: CLUSTER, unit: 'demo', generation: 1, passwordHash: HASH, at: LATER },
      },
    ]);
    spec
      .given([...events, ...enabled])
      .when(cmd('EnableKinsPublicAccess', { passwordHash: HASH }))
      .thenNothingHappens();
    expect(
      spec
        .given([...events, ...enabled])
        .when(cmd('EnableKinsPublicAccess', { passwordHash: HASH2 }))
        .events(),
    ).toHaveLength(1);
    spec
      .given(events)
      .when(cmd('EnableKinsPublicAccess', { passwordHash: '' }))
      .thenThrows(ValidationError, (e) => e.message.includes('proxy password'));
    spec
      .given(events)
      .when(cmd('EnableKinsPublicAccess', { passwordHash: 'hunter2hunter2' }))
      .thenThrows(ValidationError, (e) => e.message.includes('bcrypt'));
    spec
      .given(withNodes(1))
      .when(cmd('EnableKinsPublicAccess', { passwordHash: HASH }))
      .thenThrows(IllegalStateError, (e) => e.message.includes('phase none'));
  });

  it('disable forgets the hash; disabling when off is a no-op', () => {
    const events = running();
    const enabled = spec
      .given(events)
      .when(cmd('EnableKinsPublicAccess', { passwordHash: HASH }))
      .events();
    spec
      .given([...events, ...enabled])
      .when(cmd('DisableKinsPublicAccess'))
      .then([
        {
          type: 'KinsPublicAccessDisabled',
          data: { clusterId: CLUSTER, unit: 'demo', generation: 1, at: LATER },
        },
      ]);
    spec.given(events).when(cmd('DisableKinsPublicAccess')).thenNothingHappens();
  });

  it('hashProxyPassword hashes with bcrypt and refuses short passwords', async () => {
    const hash = await hashProxyPassword('correct horse', 4);
    expect(hash).toMatch(/^\$2b\$04\$/);
    expect(await verifyProxyPassword('correct horse', hash)).toBe(true);
    expect(await verifyProxyPassword('wrong', hash)).toBe(false);
    await expect(hashProxyPassword('short')).rejects.toBeInstanceOf(ValidationError);
    expect(
      spec
        .given(running())
        .when(cmd('EnableKinsPublicAccess', { passwordHash: hash }))
        .events(),
    ).toHaveLength(1);
  });
});

describe('Kins — delete guard and demotion', () => {
  it('an independent (or promoting, failed, demoting) unit cannot be deleted: demote first', () => {
    const events = running();
    spec
      .given(events)
      .when(cmd('DeleteNodeUnit'))
      .thenThrows(IllegalStateError, (e) => e.message.includes('demote first'));
    spec
      .given([...withNodes(1), promotedEvent(1, 'single')])
      .when(cmd('DeleteNodeUnit'))
      .thenThrows(IllegalStateError, (e) => e.message.includes('phase promoting'));
  });

  it('demote → Demoting (agents uninstall, public access off) → "uninstalled" → normal unit, deletable, re-promotable', () => {
    const events = running(3);
    const enabled = spec
      .given(events)
      .when(cmd('EnableKinsPublicAccess', { passwordHash: HASH }))
      .events();
    const demote = spec
      .given([...events, ...enabled])
      .when(cmd('DemoteNodeUnit'))
      .events();
    expect(demote).toEqual([
      {
        type: 'KinsDemotionRequested',
        data: {
          clusterId: CLUSTER,
          unit: 'demo',
          generation: 1,
          nodes: [
            { name: 'n1', role: 'server' },
            { name: 'n2', role: 'agent' },
            { name: 'n3', role: 'agent' },
          ],
          at: LATER,
        },
      },
    ]);
    const demoting = [...events, ...enabled, ...demote];
    expect(state(demoting).kins).toMatchObject({ phase: 'demoting' });
    expect(state(demoting).kins).not.toHaveProperty('publicAccess');
    spec.given(demoting).when(cmd('DemoteNodeUnit')).thenNothingHappens();
    spec
      .given(demoting)
      .when(cmd('DeleteNodeUnit'))
      .thenThrows(IllegalStateError, (e) => e.message.includes('demote first'));
    spec.given(demoting).when(report('running')).thenNothingHappens();
    const done = spec.given(demoting).when(report('uninstalled')).events();
    expect(done).toEqual([
      {
        type: 'NodeUnitDemotedFromK3s',
        data: { clusterId: CLUSTER, unit: 'demo', generation: 1, at: LATER },
      },
    ]);
    const normal = [...demoting, ...done];
    expect(state(normal).kins).toEqual({ phase: 'none' });
    spec.given(normal).when(cmd('DemoteNodeUnit')).thenNothingHappens();
    expect(
      spec
        .given(normal)
        .when(cmd('DeleteNodeUnit'))
        .events()
        .map((e) => e.type),
    ).toEqual(['NodeUnitDeleted']);
    expect(spec.given(normal).when(promote('ha')).events()[0]?.data).toMatchObject({
      generation: 2,
      kubeconfigs: { internal: `kins://${CLUSTER}/demo/2/internal` },
    });
  });

  it('a failed uninstall goes to Failed and can be demoted again', () => {
    const events = running(1);
    const demote = spec.given(events).when(cmd('DemoteNodeUnit')).events();
    const failed = spec
      .given([...events, ...demote])
      .when(report('failed', { message: 'rm failed' }))
      .events();
    expect(failed.map((e) => e.type)).toEqual(['KinsClusterFailed']);
    expect(
      spec
        .given([...events, ...demote, ...failed])
        .when(cmd('DemoteNodeUnit'))
        .events()
        .map((e) => e.type),
    ).toEqual(['KinsDemotionRequested']);
  });

  it('demoting an unknown unit is refused', () => {
    spec.given([]).when(cmd('DemoteNodeUnit')).thenThrows(NotFoundError);
  });
});
