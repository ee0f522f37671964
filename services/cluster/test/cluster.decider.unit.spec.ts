import { describe, expect, it } from 'vitest';
import {
  AlreadyExistsError,
  DeciderSpecification,
  IllegalStateError,
  NotFoundError,
  ValidationError,
} from '@edgeplane/es-kit';
import {
  clusterDecider,
  defaultReferenceData,
  joinContextOf,
  makeClusterDecider,
  verifyAdminCredential,
  type ClusterEvent,
} from '../src/index.js';
import { fold } from '@edgeplane/es-kit';
import {
  CA,
  CLUSTER_ID,
  LATER,
  NOW,
  admitted,
  createCommand,
  createdEvents,
  credential,
  expectCatalogued,
  hasViolation,
  publicAccessOn,
} from './fixtures.js';

const spec = DeciderSpecification(clusterDecider);
/** A cluster with public access on and `n` admitted nodes (node-1 … node-n) within L5's cap of 5. */
function withNodes(n: number, overrides = {}): ClusterEvent[] {
  const events = [...createdEvents(overrides), publicAccessOn];
  for (let i = 1; i <= n; i++) events.push(admitted(`node-${i}`, i, i > 5));
  return events;
}

describe('Cluster decider — CreateCluster (F-CL-1, F-CL-2)', () => {
  it('creates a cluster with every field and its first admin credential', () => {
    spec
      .given([])
      .when(createCommand())
      .then([
        {
          type: 'ClusterCreated',
          data: {
            clusterId: CLUSTER_ID,
            name: 'factory-gz',
            description: 'Guangzhou factories',
            kubernetesVersion: '1.22.5',
            runtime: 'containerd',
            region: 'ap-guangzhou',
            kubeProxyMode: 'ipvs',
            vpcId: 'vpc-01',
            vpcCidr: '10.0.0.0/16',
            podCidr: '172.16.0.0/16',
            serviceCidr: '172.17.0.0/20',
            nodeCidrs: ['192.168.1.0/24'],
            tier: 'L5',
            autoUpgrade: false,
            access: { publicAccess: false, privateAccess: { enabled: false, subnetId: null } },
            remoteLogin: false,
            ca: CA,
            createdAt: NOW,
          },
        },
        {
          type: 'ClusterAdminCredentialIssued',
          data: { clusterId: CLUSTER_ID, ...credential(1), replaces: null, issuedAt: NOW },
        },
      ]);
  });

  it('fills defaults: smallest tier, iptables, auto-upgrade off, no description', () => {
    const [created] = spec
      .given([])
      .when(
        createCommand({
          tier: undefined,
          kubeProxyMode: undefined,
          autoUpgrade: undefined,
          description: undefined,
          vpcId: undefined,
        }),
      )
      .events();
    expect(created?.type).toBe('ClusterCreated');
    expect(created?.data).toMatchObject({
      tier: 'L5',
      kubeProxyMode: 'iptables',
      autoUpgrade: false,
      description: '',
      vpcId: null,
    });
  });

  it('is idempotent for the same creation and refuses a different one with the same id', () => {
    spec.given(createdEvents()).when(createCommand()).thenNothingHappens();
    spec
      .given(createdEvents())
      .when(createCommand({ name: 'other' }))
      .thenThrows(AlreadyExistsError);
  });

  it('refuses to reuse the id of a deleted cluster', () => {
    const deleted: ClusterEvent = {
      type: 'ClusterDeleted',
      data: {
        clusterId: CLUSTER_ID,
        name: 'factory-gz',
        nodeNames: [],
        revokedAdminSerial: '01ab',
        deletedAt: NOW,
      },
    };
    spec
      .given([...createdEvents(), deleted])
      .when(createCommand())
      .thenThrows(AlreadyExistsError);
  });

  it('refuses a name that is empty or longer than 50 characters', () => {
    spec
      .given([])
      .when(createCommand({ name: '  ' }))
      .thenThrows(ValidationError, hasViolation('name', '1–50'));
    spec
      .given([])
      .when(createCommand({ name: 'x'.repeat(51) }))
      .thenThrows(ValidationError, hasViolation('name', '51'));
    spec
      .given([])
      .when(createCommand({ name: 'bad\nname' }))
      .thenThrows(ValidationError, hasViolation('name', 'control characters'));
  });

  it('refuses a description longer than 256 characters', () => {
    spec
      .given([])
      .when(createCommand({ description: 'd'.repeat(257) }))
      .thenThrows(ValidationError, hasViolation('description', '257'));
  });

  it('checks version, runtime, region, kube-proxy mode and tier against the reference tables', () => {
    spec
      .given([])
      .when(
        createCommand({
          kubernetesVersion: '1.19.0',
          runtime: 'cri-o',
          region: 'mars-1',
          kubeProxyMode: 'nftables',
          tier: 'L7',
        }),
      )
      .thenThrows(
        ValidationError,
        (e: ValidationError) =>
          ['kubernetesVersion', 'runtime', 'region', 'kubeProxyMode', 'tier'].every((f) =>
            e.violations.some((v) => v.field === f),
          ) &&
          e.violations
            .find((v) => v.field === 'kubernetesVersion')!
            .description.includes('1.18.2, 1.20.6, 1.22.5'),
      );
  });

  it('refuses a VPC id that is not an identifier', () => {
    spec
      .given([])
      .when(createCommand({ vpcId: 'vpc 01;rm' }))
      .thenThrows(ValidationError, hasViolation('vpcId'));
  });

  it('takes versions and regions from the data it is given, not from code', () => {
    const ref = {
      ...defaultReferenceData,
      kubernetesVersions: [
        ...defaultReferenceData.kubernetesVersions,
        { version: '1.30.2', runtimes: ['containerd'] as const },
      ],
    };
    const custom = DeciderSpecification(makeClusterDecider(ref));
    expect(
      custom
        .given([])
        .when(createCommand({ kubernetesVersion: '1.30.2' }))
        .events(),
    ).toHaveLength(2);
    custom
      .given([])
      .when(createCommand({ kubernetesVersion: '1.30.2', runtime: 'docker' }))
      .thenThrows(ValidationError, hasViolation('runtime', 'not offered'));
    spec
      .given([])
      .when(createCommand({ kubernetesVersion: '1.30.2' }))
      .thenThrows(ValidationError, hasViolation('kubernetesVersion'));
  });

  it('refuses overlapping Pod and Service CIDRs, naming both ranges', () => {
    spec
      .given([])
      .when(createCommand({ podCidr: '172.16.0.0/16', serviceCidr: '172.16.32.0/20' }))
      .thenThrows(
        ValidationError,
        hasViolation('podCidr', '172.16.0.0/16', '172.16.32.0/20', 'Service CIDR'),
      );
  });

  it('refuses a Pod or Service CIDR inside the VPC CIDR, naming both ranges', () => {
    spec
      .given([])
      .when(createCommand({ podCidr: '10.0.0.0/20' }))
      .thenThrows(ValidationError, hasViolation('podCidr', '10.0.0.0/20', 'VPC CIDR 10.0.0.0/16'));
    spec
      .given([])
      .when(createCommand({ serviceCidr: '10.0.16.0/20' }))
      .thenThrows(ValidationError, hasViolation('serviceCidr', '10.0.16.0/20', '10.0.0.0/16'));
  });

  it("refuses ranges that overlap another cluster's Pod or Service CIDR in the same VPC", () => {
    const other = {
      clusterId: 'cls-sh01',
      name: 'shop-sh',
      podCidr: '172.16.128.0/17',
      serviceCidr: '172.18.0.0/20',
    };
    spec
      .given([])
      .when(createCommand({ otherClustersInVpc: [other] }))
      .thenThrows(ValidationError, hasViolation('podCidr', '172.16.0.0/16', '172.16.128.0/17', 'shop-sh'));
    spec
      .given([])
      .when(createCommand({ serviceCidr: '172.18.0.0/24', otherClustersInVpc: [other] }))
      .thenThrows(ValidationError, hasViolation('serviceCidr', '172.18.0.0/24', '172.18.0.0/20', 'cls-sh01'));
    // Disjoint ranges of other clusters are fine.
    expect(
      spec
        .given([])
        .when(
          createCommand({
            otherClustersInVpc: [{ ...other, podCidr: '172.20.0.0/16', serviceCidr: '172.21.0.0/20' }],
          }),
        )
        .events(),
    ).toHaveLength(2);
  });

  it('a retried creation whose first attempt committed is ALREADY_EXISTS, not an overlap with itself', () => {
    // The first attempt (another cluster id, the same name and ranges) committed after the client
    // gave up; the retry finds it among the VPC's clusters.
    const firstAttempt = {
      clusterId: 'cls-first01',
      name: 'factory-gz',
      podCidr: '172.16.0.0/16',
      serviceCidr: '172.17.0.0/20',
    };
    spec
      .given([])
      .when(createCommand({ name: '  factory-gz ', otherClustersInVpc: [firstAttempt] }))
      .thenThrows(AlreadyExistsError, (e) => e.message.includes('"factory-gz" already exists'));
    // another cluster's ranges still clash as before
    spec
      .given([])
      .when(createCommand({ otherClustersInVpc: [{ ...firstAttempt, name: 'factory-sz' }] }))
      .thenThrows(ValidationError, hasViolation('podCidr', '172.16.0.0/16', 'factory-sz'));
  });

  it('refuses ranges that overlap a declared edge-node CIDR; node CIDRs may overlap each other', () => {
    spec
      .given([])
      .when(createCommand({ nodeCidrs: ['192.168.1.0/24', '172.17.0.0/24'] }))
      .thenThrows(
        ValidationError,
        hasViolation('serviceCidr', '172.17.0.0/20', 'nodeCidrs[1] 172.17.0.0/24'),
      );
    spec
      .given([])
      .when(createCommand({ nodeCidrs: ['10.0.3.0/24'] }))
      .thenThrows(ValidationError, hasViolation('nodeCidrs[0]', '10.0.3.0/24', '10.0.0.0/16'));
    expect(
      spec
        .given([])
        .when(createCommand({ nodeCidrs: ['192.168.1.0/24', '192.168.0.0/16'] }))
        .events(),
    ).toHaveLength(2);
  });

  it('refuses malformed CIDRs and ones with host bits set', () => {
    spec
      .given([])
      .when(createCommand({ podCidr: '172.16.0.0' }))
      .thenThrows(ValidationError, hasViolation('podCidr', 'not a CIDR'));
    spec
      .given([])
      .when(createCommand({ vpcCidr: '10.0.0.5/16' }))
      .thenThrows(ValidationError, hasViolation('vpcCidr', '10.0.0.0/16'));
    spec
      .given([])
      .when(createCommand({ nodeCidrs: ['300.1.1.0/24'] }))
      .thenThrows(ValidationError, hasViolation('nodeCidrs[0]'));
  });

  it('refuses a Service CIDR wider than Kubernetes allows', () => {
    spec
      .given([])
      .when(createCommand({ serviceCidr: '172.0.0.0/11', podCidr: '10.64.0.0/16' }))
      .thenThrows(ValidationError, hasViolation('serviceCidr', '/12'));
  });

  it("refuses a Pod CIDR too small for the tier's pod quota", () => {
    spec
      .given([])
      .when(createCommand({ podCidr: '172.16.0.0/25' }))
      .thenThrows(ValidationError, hasViolation('podCidr', '128 addresses', 'L5', '150'));
    spec
      .given([])
      .when(createCommand({ podCidr: '172.16.0.0/23', tier: 'L20' }))
      .thenThrows(ValidationError, hasViolation('podCidr', 'L20', '600'));
    expect(
      spec
        .given([])
        .when(createCommand({ podCidr: '172.16.0.0/24' }))
        .events(),
    ).toHaveLength(2);
  });
});

describe('Cluster decider — SetAccess (F-CL-4)', () => {
  it('turns public access on', () => {
    spec
      .given(createdEvents())
      .when({ type: 'SetAccess', clusterId: CLUSTER_ID, publicAccess: true, now: NOW })
      .then([publicAccessOn]);
  });

  it('turns private access on with a subnet, independently of public access', () => {
    spec
      .given([...createdEvents(), publicAccessOn])
      .when({
        type: 'SetAccess',
        clusterId: CLUSTER_ID,
        privateAccess: { enabled: true, subnetId: 'subnet-a1' },
        now: LATER,
      })
      .then([
        {
          type: 'ClusterAccessChanged',
          data: {
            clusterId: CLUSTER_ID,
            publicAccess: true,
            privateAccess: { enabled: true, subnetId: 'subnet-a1' },
            changedAt: LATER,
          },
        },
      ]);
  });

  it('turning private access off keeps the subnet for next time', () => {
    const privateOn: ClusterEvent = {
      type: 'ClusterAccessChanged',
      data: {
        clusterId: CLUSTER_ID,
        publicAccess: false,
        privateAccess: { enabled: true, subnetId: 'subnet-a1' },
        changedAt: NOW,
      },
    };
    spec
      .given([...createdEvents(), privateOn])
      .when({ type: 'SetAccess', clusterId: CLUSTER_ID, privateAccess: { enabled: false }, now: LATER })
      .then([
        {
          type: 'ClusterAccessChanged',
          data: {
            clusterId: CLUSTER_ID,
            publicAccess: false,
            privateAccess: { enabled: false, subnetId: 'subnet-a1' },
            changedAt: LATER,
          },
        },
      ]);
  });

  it('does nothing when access is already as asked', () => {
    spec
      .given([...createdEvents(), publicAccessOn])
      .when({ type: 'SetAccess', clusterId: CLUSTER_ID, publicAccess: true, now: LATER })
      .thenNothingHappens();
  });

  it('refuses private access without a subnet, a malformed subnet, and an empty request', () => {
    spec
      .given(createdEvents())
      .when({ type: 'SetAccess', clusterId: CLUSTER_ID, privateAccess: { enabled: true }, now: NOW })
      .thenThrows(ValidationError, hasViolation('privateAccess.subnetId', 'subnet'));
    spec
      .given(createdEvents())
      .when({
        type: 'SetAccess',
        clusterId: CLUSTER_ID,
        privateAccess: { enabled: true, subnetId: 'a b' },
        now: NOW,
      })
      .thenThrows(ValidationError, hasViolation('privateAccess.subnetId'));
    spec
      .given(createdEvents())
      .when({ type: 'SetAccess', clusterId: CLUSTER_ID, now: NOW })
      .thenThrows(ValidationError, hasViolation('access'));
  });

  it('refuses an unknown cluster', () => {
    spec
      .given([])
      .when({ type: 'SetAccess', clusterId: CLUSTER_ID, publicAccess: true, now: NOW })
      .thenThrows(NotFoundError);
  });
});

describe('Cluster decider — tiers and auto-upgrade (F-CL-3)', () => {
  it('admits a node within the cap', () => {
    spec
      .given(withNodes(2))
      .when({ type: 'AdmitNode', clusterId: CLUSTER_ID, nodeName: 'node-3', now: NOW })
      .then([admitted('node-3', 3)]);
  });

  it('admits a node already admitted only once', () => {
    spec
      .given(withNodes(2))
      .when({ type: 'AdmitNode', clusterId: CLUSTER_ID, nodeName: 'node-2', now: NOW })
      .thenNothingHappens();
  });

  it('refuses a node while both access modes are off', () => {
    spec
      .given(createdEvents())
      .when({ type: 'AdmitNode', clusterId: CLUSTER_ID, nodeName: 'node-1', now: NOW })
      .thenThrows(IllegalStateError, (e) => e.message.includes('neither public nor private'));
  });

  it('refuses a node for an unknown cluster', () => {
    spec
      .given([])
      .when({ type: 'AdmitNode', clusterId: CLUSTER_ID, nodeName: 'node-1', now: NOW })
      .thenThrows(NotFoundError);
  });

  it('auto-upgrade off: a node beyond the cap is admitted over capacity (to be cordoned)', () => {
    spec
      .given(withNodes(5))
      .when({ type: 'AdmitNode', clusterId: CLUSTER_ID, nodeName: 'node-6', now: NOW })
      .then([admitted('node-6', 6, true)]);
  });

  it('auto-upgrade on: exceeding the cap raises the tier exactly one step', () => {
    spec
      .given(withNodes(5, { autoUpgrade: true }))
      .when({ type: 'AdmitNode', clusterId: CLUSTER_ID, nodeName: 'node-6', now: NOW })
      .then([
        {
          type: 'ClusterTierChanged',
          data: {
            clusterId: CLUSTER_ID,
            from: 'L5',
            to: 'L20',
            direction: 'up',
            cause: 'auto-upgrade',
            usage: { nodes: 6, pods: 0, configMaps: 0, crds: 0 },
            changedAt: NOW,
          },
        },
        admitted('node-6', 6, false, 'L20'),
      ]);
  });

  it('auto-upgrade on but the Pod CIDR cannot hold the next tier: the node is over capacity', () => {
    spec
      .given(withNodes(5, { autoUpgrade: true, podCidr: '172.16.0.0/24' }))
      .when({ type: 'AdmitNode', clusterId: CLUSTER_ID, nodeName: 'node-6', now: NOW })
      .then([admitted('node-6', 6, true)]);
  });

  it('switching auto-upgrade on later: the next raise also lifts the nodes waiting for capacity', () => {
    const autoOn: ClusterEvent = {
      type: 'ClusterAutoUpgradeChanged',
      data: { clusterId: CLUSTER_ID, enabled: true, changedAt: NOW },
    };
    const events = spec
      .given([...withNodes(6), autoOn])
      .when({ type: 'AdmitNode', clusterId: CLUSTER_ID, nodeName: 'node-7', now: LATER })
      .events();
    expect(events.map((e) => e.type)).toEqual([
      'ClusterTierChanged',
      'ClusterCapacityCordonsLifted',
      'ClusterNodeAdmitted',
    ]);
    expect(events[1]?.data).toMatchObject({ nodeNames: ['node-6'], tier: 'L20' });
    expect(events[2]?.data).toMatchObject({ nodeName: 'node-7', overCapacity: false, nodeCount: 7 });
  });

  it('SetAutoUpgrade switches and is idempotent', () => {
    spec
      .given(createdEvents())
      .when({ type: 'SetAutoUpgrade', clusterId: CLUSTER_ID, enabled: true, now: NOW })
      .then([
        { type: 'ClusterAutoUpgradeChanged', data: { clusterId: CLUSTER_ID, enabled: true, changedAt: NOW } },
      ]);
    spec
      .given(createdEvents())
      .when({ type: 'SetAutoUpgrade', clusterId: CLUSTER_ID, enabled: false, now: NOW })
      .thenNothingHappens();
    spec
      .given([])
      .when({ type: 'SetAutoUpgrade', clusterId: CLUSTER_ID, enabled: true, now: NOW })
      .thenThrows(NotFoundError);
  });

  it('manual raise lifts every capacity cordon that now fits (self-recovery)', () => {
    spec
      .given(withNodes(7))
      .when({ type: 'SetTier', clusterId: CLUSTER_ID, tier: 'L20', now: LATER })
      .then([
        {
          type: 'ClusterTierChanged',
          data: {
            clusterId: CLUSTER_ID,
            from: 'L5',
            to: 'L20',
            direction: 'up',
            cause: 'manual',
            usage: { nodes: 7, pods: 0, configMaps: 0, crds: 0 },
            changedAt: LATER,
          },
        },
        {
          type: 'ClusterCapacityCordonsLifted',
          data: { clusterId: CLUSTER_ID, nodeNames: ['node-6', 'node-7'], tier: 'L20', liftedAt: LATER },
        },
      ]);
  });

  it('a raise that makes room for only some waiting nodes lifts them in join order', () => {
    const ref = {
      ...defaultReferenceData,
      tiers: [
        { name: 'T2', nodes: 2, pods: 10, configMaps: 10, crds: 10 },
        { name: 'T3', nodes: 3, pods: 10, configMaps: 10, crds: 10 },
      ],
      defaultTier: 'T2',
    };
    const small = DeciderSpecification(makeClusterDecider(ref));
    const given = [
      ...makeClusterDecider(ref).decide(createCommand({ tier: 'T2' }), { status: 'absent' }),
      publicAccessOn,
      admitted('a', 1, false, 'T2'),
      admitted('b', 2, false, 'T2'),
      admitted('c', 3, true, 'T2'),
      admitted('d', 4, true, 'T2'),
    ];
    const events = small
      .given(given)
      .when({ type: 'SetTier', clusterId: CLUSTER_ID, tier: 'T3', now: LATER })
      .events();
    expect(events[1]).toEqual({
      type: 'ClusterCapacityCordonsLifted',
      data: { clusterId: CLUSTER_ID, nodeNames: ['c'], tier: 'T3', liftedAt: LATER },
    });
  });

  it('SetTier to the current tier does nothing; an unknown tier is refused', () => {
    spec
      .given(createdEvents())
      .when({ type: 'SetTier', clusterId: CLUSTER_ID, tier: 'L5', now: NOW })
      .thenNothingHappens();
    spec
      .given(createdEvents())
      .when({ type: 'SetTier', clusterId: CLUSTER_ID, tier: 'XL', now: NOW })
      .thenThrows(ValidationError, hasViolation('tier', 'L5, L20'));
    spec
      .given([])
      .when({ type: 'SetTier', clusterId: CLUSTER_ID, tier: 'L20', now: NOW })
      .thenThrows(NotFoundError);
  });

  it('refuses a raise beyond what the Pod CIDR holds', () => {
    spec
      .given(createdEvents())
      .when({ type: 'SetTier', clusterId: CLUSTER_ID, tier: 'L3000', now: NOW })
      .thenThrows(ValidationError, hasViolation('tier', '172.16.0.0/16', '65536', '90000'));
  });

  it('manual downgrade succeeds when usage fits', () => {
    const raised: ClusterEvent = {
      type: 'ClusterTierChanged',
      data: {
        clusterId: CLUSTER_ID,
        from: 'L5',
        to: 'L50',
        direction: 'up',
        cause: 'manual',
        usage: { nodes: 0, pods: 0, configMaps: 0, crds: 0 },
        changedAt: NOW,
      },
    };
    const events = spec
      .given([...withNodes(3), raised])
      .when({ type: 'SetTier', clusterId: CLUSTER_ID, tier: 'L5', now: LATER })
      .events();
    expect(events).toEqual([
      {
        type: 'ClusterTierChanged',
        data: {
          clusterId: CLUSTER_ID,
          from: 'L50',
          to: 'L5',
          direction: 'down',
          cause: 'manual',
          usage: { nodes: 3, pods: 0, configMaps: 0, crds: 0 },
          changedAt: LATER,
        },
      },
    ]);
  });

  it('manual downgrade is refused when usage does not fit, naming usage and cap', () => {
    const raised: ClusterEvent = {
      type: 'ClusterTierChanged',
      data: {
        clusterId: CLUSTER_ID,
        from: 'L5',
        to: 'L20',
        direction: 'up',
        cause: 'manual',
        usage: { nodes: 0, pods: 0, configMaps: 0, crds: 0 },
        changedAt: NOW,
      },
    };
    const usage: ClusterEvent = {
      type: 'ClusterUsageRecorded',
      data: { clusterId: CLUSTER_ID, pods: 200, configMaps: 10, crds: 10, recordedAt: NOW },
    };
    spec
      .given([...withNodes(6), raised])
      .when({ type: 'SetTier', clusterId: CLUSTER_ID, tier: 'L5', now: LATER })
      .thenThrows(IllegalStateError, (e) => e.message.includes('6 nodes exceed its cap of 5'));
    spec
      .given([...withNodes(1), raised, usage])
      .when({ type: 'SetTier', clusterId: CLUSTER_ID, tier: 'L5', now: LATER })
      .thenThrows(IllegalStateError, (e) => e.message.includes('200 pods exceed its cap of 150'));
  });

  it('RecordUsage records pods, ConfigMaps and CRDs and is idempotent', () => {
    const cmd = {
      type: 'RecordUsage' as const,
      clusterId: CLUSTER_ID,
      pods: 40,
      configMaps: 12,
      crds: 3,
      now: NOW,
    };
    spec
      .given(createdEvents())
      .when(cmd)
      .then([
        {
          type: 'ClusterUsageRecorded',
          data: { clusterId: CLUSTER_ID, pods: 40, configMaps: 12, crds: 3, recordedAt: NOW },
        },
      ]);
    spec
      .given([...createdEvents(), ...clusterDecider.decide(cmd, fold(clusterDecider, createdEvents()))])
      .when(cmd)
      .thenNothingHappens();
  });

  it('RecordUsage beyond a cap with auto-upgrade on raises one tier; with it off only records', () => {
    const cmd = {
      type: 'RecordUsage' as const,
      clusterId: CLUSTER_ID,
      pods: 151,
      configMaps: 0,
      crds: 0,
      now: NOW,
    };
    const on = spec
      .given(createdEvents({ autoUpgrade: true }))
      .when(cmd)
      .events();
    expect(on.map((e) => e.type)).toEqual(['ClusterUsageRecorded', 'ClusterTierChanged']);
    expect(on[1]?.data).toMatchObject({ from: 'L5', to: 'L20', cause: 'auto-upgrade' });
    expect(
      spec
        .given(createdEvents())
        .when(cmd)
        .events()
        .map((e) => e.type),
    ).toEqual(['ClusterUsageRecorded']);
  });

  it('RecordUsage refuses negative or fractional counts and unknown clusters', () => {
    spec
      .given(createdEvents())
      .when({ type: 'RecordUsage', clusterId: CLUSTER_ID, pods: -1, configMaps: 1.5, crds: 0, now: NOW })
      .thenThrows(ValidationError, (e: ValidationError) => e.violations.length === 2);
    spec
      .given([])
      .when({ type: 'RecordUsage', clusterId: CLUSTER_ID, pods: 1, configMaps: 1, crds: 1, now: NOW })
      .thenThrows(NotFoundError);
  });

  it('RecordNodeRemoved releases the node and never lowers the tier', () => {
    const raised: ClusterEvent = {
      type: 'ClusterTierChanged',
      data: {
        clusterId: CLUSTER_ID,
        from: 'L5',
        to: 'L20',
        direction: 'up',
        cause: 'auto-upgrade',
        usage: { nodes: 6, pods: 0, configMaps: 0, crds: 0 },
        changedAt: NOW,
      },
    };
    spec
      .given([...withNodes(3), raised])
      .when({ type: 'RecordNodeRemoved', clusterId: CLUSTER_ID, nodeName: 'node-2', now: LATER })
      .then([
        {
          type: 'ClusterNodeReleased',
          data: { clusterId: CLUSTER_ID, nodeName: 'node-2', nodeCount: 2, releasedAt: LATER },
        },
      ]);
  });

  it('removing an in-cap node makes room for the first node waiting for capacity', () => {
    const events = spec
      .given(withNodes(7))
      .when({ type: 'RecordNodeRemoved', clusterId: CLUSTER_ID, nodeName: 'node-1', now: LATER })
      .events();
    expect(events).toEqual([
      {
        type: 'ClusterNodeReleased',
        data: { clusterId: CLUSTER_ID, nodeName: 'node-1', nodeCount: 6, releasedAt: LATER },
      },
      {
        type: 'ClusterCapacityCordonsLifted',
        data: { clusterId: CLUSTER_ID, nodeNames: ['node-6'], tier: 'L5', liftedAt: LATER },
      },
    ]);
  });

  it('removing a waiting node lifts nothing; unknown nodes and deleted clusters are no-ops', () => {
    expect(
      spec
        .given(withNodes(7))
        .when({ type: 'RecordNodeRemoved', clusterId: CLUSTER_ID, nodeName: 'node-7', now: LATER })
        .events()
        .map((e) => e.type),
    ).toEqual(['ClusterNodeReleased']);
    spec
      .given(withNodes(2))
      .when({ type: 'RecordNodeRemoved', clusterId: CLUSTER_ID, nodeName: 'ghost', now: LATER })
      .thenNothingHappens();
    const deleted: ClusterEvent = {
      type: 'ClusterDeleted',
      data: {
        clusterId: CLUSTER_ID,
        name: 'factory-gz',
        nodeNames: ['node-1'],
        revokedAdminSerial: '01ab',
        deletedAt: NOW,
      },
    };
    spec
      .given([...withNodes(1), deleted])
      .when({ type: 'RecordNodeRemoved', clusterId: CLUSTER_ID, nodeName: 'node-1', now: LATER })
      .thenNothingHappens();
    spec
      .given([])
      .when({ type: 'RecordNodeRemoved', clusterId: CLUSTER_ID, nodeName: 'node-1', now: LATER })
      .thenThrows(NotFoundError);
  });
});

describe('Cluster decider — remote login, credentials, deletion (F-CL-5…7)', () => {
  it('SetRemoteLogin switches, is idempotent and needs a cluster', () => {
    spec
      .given(createdEvents())
      .when({ type: 'SetRemoteLogin', clusterId: CLUSTER_ID, enabled: true, now: NOW })
      .then([
        { type: 'ClusterRemoteLoginChanged', data: { clusterId: CLUSTER_ID, enabled: true, changedAt: NOW } },
      ]);
    spec
      .given(createdEvents())
      .when({ type: 'SetRemoteLogin', clusterId: CLUSTER_ID, enabled: false, now: NOW })
      .thenNothingHappens();
    spec
      .given([])
      .when({ type: 'SetRemoteLogin', clusterId: CLUSTER_ID, enabled: true, now: NOW })
      .thenThrows(NotFoundError);
  });

  it('rotating the admin credential replaces the old one, which stops verifying', () => {
    const rotated = spec
      .given(createdEvents())
      .when({ type: 'RotateAdminCredential', clusterId: CLUSTER_ID, credential: credential(2), now: LATER })
      .events();
    expect(rotated).toEqual([
      {
        type: 'ClusterAdminCredentialIssued',
        data: {
          clusterId: CLUSTER_ID,
          ...credential(2),
          replaces: { serial: credential(1).serial, fingerprint: credential(1).fingerprint },
          issuedAt: LATER,
        },
      },
    ]);
    const before = fold(clusterDecider, createdEvents());
    const after = fold(clusterDecider, [...createdEvents(), ...rotated]);
    expect(verifyAdminCredential(before, credential(1).fingerprint)).toBe(true);
    expect(verifyAdminCredential(after, credential(1).fingerprint)).toBe(false);
    expect(verifyAdminCredential(after, credential(2).fingerprint)).toBe(true);
  });

  it('rotating to the active credential does nothing; an unknown cluster is refused', () => {
    spec
      .given(createdEvents())
      .when({ type: 'RotateAdminCredential', clusterId: CLUSTER_ID, credential: credential(1), now: LATER })
      .thenNothingHappens();
    spec
      .given([])
      .when({ type: 'RotateAdminCredential', clusterId: CLUSTER_ID, credential: credential(2), now: LATER })
      .thenThrows(NotFoundError);
  });

  it('deleting lists every node identity and the admin credential to revoke', () => {
    spec
      .given(withNodes(2))
      .when({ type: 'DeleteCluster', clusterId: CLUSTER_ID, now: LATER })
      .then([
        {
          type: 'ClusterDeleted',
          data: {
            clusterId: CLUSTER_ID,
            name: 'factory-gz',
            nodeNames: ['node-1', 'node-2'],
            revokedAdminSerial: credential(1).serial,
            deletedAt: LATER,
          },
        },
      ]);
  });

  it('after deletion: delete again is a no-op, other commands find no cluster, the admin credential is dead', () => {
    const deleted = [
      ...withNodes(1),
      ...clusterDecider.decide(
        { type: 'DeleteCluster', clusterId: CLUSTER_ID, now: LATER },
        fold(clusterDecider, withNodes(1)),
      ),
    ];
    spec
      .given(deleted)
      .when({ type: 'DeleteCluster', clusterId: CLUSTER_ID, now: LATER })
      .thenNothingHappens();
    spec
      .given(deleted)
      .when({ type: 'SetAccess', clusterId: CLUSTER_ID, publicAccess: false, now: LATER })
      .thenThrows(NotFoundError);
    spec
      .given(deleted)
      .when({ type: 'AdmitNode', clusterId: CLUSTER_ID, nodeName: 'node-9', now: LATER })
      .thenThrows(NotFoundError);
    expect(verifyAdminCredential(fold(clusterDecider, deleted), credential(1).fingerprint)).toBe(false);
    expect(joinContextOf(fold(clusterDecider, deleted), CLUSTER_ID).exists).toBe(false);
  });

  it('deleting an unknown cluster is refused', () => {
    spec.given([]).when({ type: 'DeleteCluster', clusterId: CLUSTER_ID, now: NOW }).thenThrows(NotFoundError);
  });

  it('every event of a full lifecycle is a valid catalogue entry', () => {
    const all: ClusterEvent[] = [];
    const run = (cmd: Parameters<typeof clusterDecider.decide>[0]) =>
      all.push(...clusterDecider.decide(cmd, fold(clusterDecider, all)));
    run(createCommand());
    run({
      type: 'SetAccess',
      clusterId: CLUSTER_ID,
      publicAccess: true,
      privateAccess: { enabled: true, subnetId: 'subnet-1' },
      now: NOW,
    });
    for (let i = 1; i <= 6; i++)
      run({ type: 'AdmitNode', clusterId: CLUSTER_ID, nodeName: `n${i}`, now: NOW });
    run({ type: 'SetTier', clusterId: CLUSTER_ID, tier: 'L20', now: NOW });
    run({ type: 'SetAutoUpgrade', clusterId: CLUSTER_ID, enabled: true, now: NOW });
    run({ type: 'RecordUsage', clusterId: CLUSTER_ID, pods: 700, configMaps: 1, crds: 1, now: NOW });
    run({ type: 'RecordNodeRemoved', clusterId: CLUSTER_ID, nodeName: 'n1', now: NOW });
    run({ type: 'SetRemoteLogin', clusterId: CLUSTER_ID, enabled: true, now: NOW });
    run({ type: 'RotateAdminCredential', clusterId: CLUSTER_ID, credential: credential(2), now: NOW });
    run({ type: 'DeleteCluster', clusterId: CLUSTER_ID, now: NOW });
    expect(new Set(all.map((e) => e.type)).size).toBe(11);
    expectCatalogued(all);
  });
});
