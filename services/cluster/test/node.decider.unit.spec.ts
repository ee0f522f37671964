import { describe, expect, it } from 'vitest';
import {
  AlreadyExistsError,
  DeciderSpecification,
  IllegalStateError,
  NotFoundError,
  ValidationError,
  fold,
} from '@edgeplane/es-kit';
import {
  annotationsSize,
  effectiveAnnotations,
  effectiveLabels,
  effectiveTaints,
  isSchedulable,
  nodeDecider,
  nodeStreamId,
  timelineEntry,
  verifyNodeCredential,
  type JoinNode,
  type NodeCommand,
  type NodeEvent,
  type PresentNode,
} from '../src/index.js';
import { CLUSTER_ID, LATER, NOW, credential, expectCatalogued, hasViolation } from './fixtures.js';

const spec = DeciderSpecification(nodeDecider);
const NODE = 'edge-gz-01';
const at = { clusterId: CLUSTER_ID, nodeName: NODE };
function join(overrides: Partial<JoinNode> = {}): JoinNode {
  return {
    type: 'JoinNode',
    ...at,
    source: { kind: 'script' },
    tokenId: 'tok-1',
    inventory: {
      arch: 'arm64',
      os: 'Ubuntu 20.04',
      interface: 'eth0',
      ips: ['192.168.1.10'],
      gpuModel: 'Tesla T4',
    },
    admission: { overCapacity: false, tier: 'L5', nodeCap: 5 },
    now: NOW,
    ...overrides,
  };
}

const joined: NodeEvent = {
  type: 'NodeJoined',
  data: {
    ...at,
    source: { kind: 'script' },
    tokenId: 'tok-1',
    inventory: {
      arch: 'arm64',
      os: 'Ubuntu 20.04',
      interface: 'eth0',
      ips: ['192.168.1.10'],
      gpuModel: 'Tesla T4',
    },
    systemLabels: {
      'kubernetes.io/arch': 'arm64',
      'kubernetes.io/os': 'linux',
      'kubernetes.io/hostname': NODE,
    },
    joinedAt: NOW,
  },
};

const unitLabels: NodeEvent = {
  type: 'NodeSystemLabelsChanged',
  data: {
    ...at,
    owner: 'nodepool',
    set: { 'unit-gz': 'nodeunits.superedge.io', location: 'unit-gz' },
    removed: [],
    changedAt: NOW,
  },
};
const operatorCordon: NodeEvent = {
  type: 'NodeCordoned',
  data: { ...at, holder: 'operator', reason: 'maintenance', cordonedAt: NOW },
};
const capacityCordon: NodeEvent = {
  type: 'NodeCordoned',
  data: {
    ...at,
    holder: 'tier-capacity',
    reason: 'cluster tier L5 allows 5 nodes; the node recovers when the tier is raised',
    cordonedAt: NOW,
  },
};
const present = (events: NodeEvent[]) => fold(nodeDecider, events) as PresentNode;

describe('Node decider — JoinNode (F-NO-1, F-NO-3, F-NO-7)', () => {
  it('registers the node with its inventory and the well-known system labels', () => {
    spec.given([]).when(join()).then([joined]);
  });

  it('joined beyond the tier cap: the node is cordoned with the reason', () => {
    spec
      .given([])
      .when(join({ admission: { overCapacity: true, tier: 'L5', nodeCap: 5 } }))
      .then([joined, capacityCordon]);
  });

  it('refuses a second join of a present name (never flaps), even from another machine', () => {
    spec
      .given([joined])
      .when(join({ inventory: { arch: 'x86_64', os: 'CentOS 7.9', interface: 'ens3', ips: ['10.9.9.9'] } }))
      .thenThrows(AlreadyExistsError, (e) => e.message.includes(NODE));
  });

  it('accepts the name again after the node was removed', () => {
    const removed: NodeEvent = {
      type: 'NodeRemoved',
      data: {
        ...at,
        source: { kind: 'script' },
        reason: 'operator',
        releaseMachine: null,
        revokedCredentialSerial: null,
        removedAt: NOW,
      },
    };
    expect(
      spec
        .given([joined, removed])
        .when(join({ now: LATER }))
        .events()[0]?.type,
    ).toBe('NodeJoined');
  });

  it.each([
    ['192.168.1.10', 'IP address'],
    ['fe80::1', 'IP address'],
    ['Edge_01', 'DNS-1123'],
    ['-edge', 'DNS-1123'],
    ['edge..01', 'DNS-1123'],
    ['', 'empty'],
    ['a'.repeat(254), '253'],
  ])('refuses the node name %j', (nodeName, reason) => {
    spec.given([]).when(join({ nodeName })).thenThrows(ValidationError, hasViolation('nodeName', reason));
  });

  it('refuses a bad inventory: architecture, interface, IPs, OS', () => {
    spec
      .given([])
      .when(
        join({
          inventory: { arch: 'mips', os: '', interface: 'a-very-long-interface-name', ips: ['10.0.0.300'] },
        }),
      )
      .thenThrows(ValidationError, (e: ValidationError) =>
        ['inventory.arch', 'inventory.os', 'inventory.interface', 'inventory.ips[0]'].every((f) =>
          e.violations.some((v) => v.field === f),
        ),
      );
    spec
      .given([])
      .when(join({ inventory: { arch: 'arm', os: 'Debian 10', interface: 'eth0', ips: [] } }))
      .thenThrows(ValidationError, hasViolation('inventory.ips'));
  });

  it('refuses a provider source without a machine id', () => {
    spec
      .given([])
      .when(join({ source: { kind: 'provider', provider: 'ecm', machineId: '' } }))
      .thenThrows(ValidationError, hasViolation('source'));
  });

  it('maps the architecture to the Kubernetes label and omits a hostname label for names over 63 characters', () => {
    const long = `${'a'.repeat(60)}.example.com`;
    const [event] = spec
      .given([])
      .when(
        join({
          nodeName: long,
          inventory: { arch: 'x86_64', os: 'CentOS 7.9', interface: 'eth0', ips: ['10.0.0.1'] },
        }),
      )
      .events();
    expect(event?.type === 'NodeJoined' && event.data.systemLabels).toEqual({
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/os': 'linux',
    });
  });
});

describe('Node decider — credentials (F-CL-5)', () => {
  it('records the issued node credential and verifies it by fingerprint', () => {
    const cmd: NodeCommand = { type: 'IssueNodeCredential', ...at, credential: credential(3), now: NOW };
    const issued = spec.given([joined]).when(cmd).events();
    expect(issued).toEqual([
      {
        type: 'NodeCredentialIssued',
        data: { ...at, ...credential(3), replacesSerial: null, issuedAt: NOW },
      },
    ]);
    expect(verifyNodeCredential(fold(nodeDecider, [joined, ...issued]), credential(3).fingerprint)).toBe(
      true,
    );
    expect(verifyNodeCredential(fold(nodeDecider, [joined, ...issued]), credential(4).fingerprint)).toBe(
      false,
    );
    spec
      .given([joined, ...issued])
      .when(cmd)
      .thenNothingHappens();
  });

  it('a renewal names the serial it replaces', () => {
    const first: NodeEvent = {
      type: 'NodeCredentialIssued',
      data: { ...at, ...credential(3), replacesSerial: null, issuedAt: NOW },
    };
    const [renewed] = spec
      .given([joined, first])
      .when({ type: 'IssueNodeCredential', ...at, credential: credential(4), now: LATER })
      .events();
    expect(renewed?.data).toMatchObject({ replacesSerial: credential(3).serial });
  });

  it('refuses a credential for an absent node', () => {
    spec
      .given([])
      .when({ type: 'IssueNodeCredential', ...at, credential: credential(3), now: NOW })
      .thenThrows(NotFoundError);
  });
});

describe('Node decider — labels (F-NO-6, F-NO-7)', () => {
  it('sets and removes operator labels', () => {
    const given: NodeEvent[] = [
      joined,
      { type: 'NodeLabelsChanged', data: { ...at, set: { zone: 'a' }, removed: [], changedAt: NOW } },
    ];
    spec
      .given(given)
      .when({
        type: 'LabelNode',
        ...at,
        set: { 'example.com/rack': 'r-12', zone: 'a' },
        remove: ['zone', 'missing'],
        now: LATER,
      })
      .thenThrows(ValidationError, hasViolation('remove.zone', 'both set and removed'));
    spec
      .given(given)
      .when({
        type: 'LabelNode',
        ...at,
        set: { 'example.com/rack': 'r-12' },
        remove: ['zone', 'missing'],
        now: LATER,
      })
      .then([
        {
          type: 'NodeLabelsChanged',
          data: { ...at, set: { 'example.com/rack': 'r-12' }, removed: ['zone'], changedAt: LATER },
        },
      ]);
  });

  it('does nothing when the labels already hold', () => {
    const given: NodeEvent[] = [
      joined,
      { type: 'NodeLabelsChanged', data: { ...at, set: { zone: 'a' }, removed: [], changedAt: NOW } },
    ];
    spec
      .given(given)
      .when({ type: 'LabelNode', ...at, set: { zone: 'a' }, remove: ['absent'], now: LATER })
      .thenNothingHappens();
  });

  it('refuses label keys and values that break Kubernetes syntax', () => {
    spec
      .given([joined])
      .when({
        type: 'LabelNode',
        ...at,
        set: { 'Bad_Prefix.io/x': 'ok', good: '-bad-', ['n'.repeat(64)]: 'v' },
        now: NOW,
      })
      .thenThrows(
        ValidationError,
        (e: ValidationError) =>
          e.violations.some((v) => v.field === 'set.Bad_Prefix.io/x') &&
          e.violations.some((v) => v.field === 'set.good' && v.description.includes('-bad-')) &&
          e.violations.some((v) => v.description.includes('63')),
      );
    spec
      .given([joined])
      .when({ type: 'LabelNode', ...at, now: NOW })
      .thenThrows(ValidationError, hasViolation('set'));
  });

  it('refuses operator changes to system-owned labels and forged unit membership', () => {
    spec
      .given([joined, unitLabels])
      .when({ type: 'LabelNode', ...at, set: { location: 'unit-sh' }, now: NOW })
      .thenThrows(ValidationError, hasViolation('set.location', 'nodepool'));
    spec
      .given([joined, unitLabels])
      .when({ type: 'LabelNode', ...at, remove: ['unit-gz'], now: NOW })
      .thenThrows(ValidationError, hasViolation('remove.unit-gz', 'nodepool'));
    spec
      .given([joined])
      .when({ type: 'LabelNode', ...at, remove: ['kubernetes.io/arch'], now: NOW })
      .thenThrows(ValidationError, hasViolation('remove.kubernetes.io/arch', 'cluster'));
    spec
      .given([joined])
      .when({ type: 'LabelNode', ...at, set: { 'unit-sh': 'nodeunits.superedge.io' }, now: NOW })
      .thenThrows(ValidationError, hasViolation('set.unit-sh', 'nodepool'));
  });

  it('the GPU label is recorded for the addon: enabling and disabling emit NodeGpuDevicePluginChanged', () => {
    const on = spec
      .given([joined])
      .when({ type: 'LabelNode', ...at, set: { 'nvidia-device-enable': 'enable' }, now: NOW })
      .events();
    expect(on).toEqual([
      {
        type: 'NodeLabelsChanged',
        data: { ...at, set: { 'nvidia-device-enable': 'enable' }, removed: [], changedAt: NOW },
      },
      {
        type: 'NodeGpuDevicePluginChanged',
        data: { ...at, enabled: true, gpuModel: 'Tesla T4', changedAt: NOW },
      },
    ]);
    const off = spec
      .given([joined, ...on])
      .when({ type: 'LabelNode', ...at, remove: ['nvidia-device-enable'], now: LATER })
      .events();
    expect(off[1]).toEqual({
      type: 'NodeGpuDevicePluginChanged',
      data: { ...at, enabled: false, gpuModel: 'Tesla T4', changedAt: LATER },
    });
    // Another value is not the enabling label.
    expect(
      spec
        .given([joined])
        .when({ type: 'LabelNode', ...at, set: { 'nvidia-device-enable': 'disable' }, now: NOW })
        .events(),
    ).toHaveLength(1);
  });

  it('refuses labels on an absent node', () => {
    spec
      .given([])
      .when({ type: 'LabelNode', ...at, set: { a: 'b' }, now: NOW })
      .thenThrows(NotFoundError);
  });
});

describe('Node decider — system labels and taints from other services', () => {
  it('applies an owner’s labels; the effective view merges them with operator labels', () => {
    spec
      .given([joined])
      .when({
        type: 'ApplySystemLabels',
        ...at,
        owner: 'nodepool',
        set: { 'unit-gz': 'nodeunits.superedge.io', location: 'unit-gz' },
        now: NOW,
      })
      .then([unitLabels]);
    const operator: NodeEvent = {
      type: 'NodeLabelsChanged',
      data: { ...at, set: { rack: 'r1' }, removed: [], changedAt: NOW },
    };
    const node = present([joined, unitLabels, operator]);
    expect(effectiveLabels(node)).toEqual({
      rack: 'r1',
      'unit-gz': 'nodeunits.superedge.io',
      location: 'unit-gz',
      'kubernetes.io/arch': 'arm64',
      'kubernetes.io/os': 'linux',
      'kubernetes.io/hostname': NODE,
    });
    expect(node.labels).toEqual({ rack: 'r1' });
  });

  it('removes an owner’s labels, is idempotent, and refuses another owner’s keys', () => {
    spec
      .given([joined, unitLabels])
      .when({ type: 'ApplySystemLabels', ...at, owner: 'nodepool', remove: ['unit-gz'], now: LATER })
      .then([
        {
          type: 'NodeSystemLabelsChanged',
          data: { ...at, owner: 'nodepool', set: {}, removed: ['unit-gz'], changedAt: LATER },
        },
      ]);
    spec
      .given([joined, unitLabels])
      .when({ type: 'ApplySystemLabels', ...at, owner: 'nodepool', set: { location: 'unit-gz' }, now: LATER })
      .thenNothingHappens();
    spec
      .given([joined, unitLabels])
      .when({ type: 'ApplySystemLabels', ...at, owner: 'addons', set: { location: 'x' }, now: LATER })
      .thenThrows(ValidationError, hasViolation('set.location', 'nodepool'));
    spec
      .given([joined])
      .when({ type: 'ApplySystemLabels', ...at, owner: 'operator', set: { a: 'b' }, now: LATER })
      .thenThrows(ValidationError, hasViolation('owner'));
  });

  it('system decisions for a removed node are no-ops; for an unknown node they are refused', () => {
    const removed: NodeEvent = {
      type: 'NodeRemoved',
      data: {
        ...at,
        source: { kind: 'script' },
        reason: 'operator',
        releaseMachine: null,
        revokedCredentialSerial: null,
        removedAt: NOW,
      },
    };
    spec
      .given([joined, removed])
      .when({ type: 'ApplySystemLabels', ...at, owner: 'nodepool', set: { a: 'b' }, now: LATER })
      .thenNothingHappens();
    spec
      .given([joined, removed])
      .when({ type: 'ApplySystemTaints', ...at, owner: 'health-arbiter', taints: [], now: LATER })
      .thenNothingHappens();
    spec
      .given([])
      .when({ type: 'ApplySystemTaints', ...at, owner: 'health-arbiter', taints: [], now: LATER })
      .thenThrows(NotFoundError);
  });

  it('applies the health-arbiter’s taints as its full set and lifts them with an empty set', () => {
    const unreachable = { key: 'node.kubernetes.io/unreachable', value: '', effect: 'NoExecute' as const };
    const applied: NodeEvent = {
      type: 'NodeSystemTaintsChanged',
      data: { ...at, owner: 'health-arbiter', taints: [unreachable], changedAt: NOW },
    };
    spec
      .given([joined])
      .when({ type: 'ApplySystemTaints', ...at, owner: 'health-arbiter', taints: [unreachable], now: NOW })
      .then([applied]);
    spec
      .given([joined, applied])
      .when({ type: 'ApplySystemTaints', ...at, owner: 'health-arbiter', taints: [unreachable], now: LATER })
      .thenNothingHappens();
    expect(effectiveTaints(present([joined, applied]))).toEqual([unreachable]);
    const lifted = spec
      .given([joined, applied])
      .when({ type: 'ApplySystemTaints', ...at, owner: 'health-arbiter', taints: [], now: LATER })
      .events();
    expect(effectiveTaints(present([joined, applied, ...lifted]))).toEqual([]);
    spec
      .given([joined])
      .when({
        type: 'ApplySystemTaints',
        ...at,
        owner: 'health-arbiter',
        taints: [{ key: 'x', effect: 'Sometimes' }],
        now: NOW,
      })
      .thenThrows(ValidationError, hasViolation('taints[0]', 'Sometimes'));
  });
});

describe('Node decider — system annotations (nodepool setNode annotations)', () => {
  const site: NodeEvent = {
    type: 'NodeSystemAnnotationsChanged',
    data: {
      ...at,
      owner: 'nodepool',
      set: { 'superedge.io/site': 'gz-dc1', note: 'rack 4\nrow B' },
      removed: [],
      changedAt: NOW,
    },
  };

  it('applies an owner’s annotations: free-text values, kept by owner, merged in the effective view', () => {
    spec
      .given([joined])
      .when({
        type: 'ApplySystemAnnotations',
        ...at,
        owner: 'nodepool',
        set: { 'superedge.io/site': 'gz-dc1', note: 'rack 4\nrow B' },
        now: NOW,
      })
      .then([site]);
    const addons: NodeEvent = {
      type: 'NodeSystemAnnotationsChanged',
      data: { ...at, owner: 'addons', set: { 'addons.io/plugin': 'on' }, removed: [], changedAt: NOW },
    };
    const node = present([joined, unitLabels, site, addons]);
    expect(node.systemAnnotations).toEqual({
      nodepool: { 'superedge.io/site': 'gz-dc1', note: 'rack 4\nrow B' },
      addons: { 'addons.io/plugin': 'on' },
    });
    expect(effectiveAnnotations(node)).toEqual({
      'superedge.io/site': 'gz-dc1',
      note: 'rack 4\nrow B',
      'addons.io/plugin': 'on',
    });
    // Annotations are not labels.
    expect(effectiveLabels(node)).not.toHaveProperty('note');
  });

  it('changes only what differs, removes what the owner drops, and does nothing when all holds', () => {
    spec
      .given([joined, site])
      .when({
        type: 'ApplySystemAnnotations',
        ...at,
        owner: 'nodepool',
        set: { 'superedge.io/site': 'gz-dc2', note: 'rack 4\nrow B' },
        remove: ['gone-already'],
        now: LATER,
      })
      .then([
        {
          type: 'NodeSystemAnnotationsChanged',
          data: {
            ...at,
            owner: 'nodepool',
            set: { 'superedge.io/site': 'gz-dc2' },
            removed: [],
            changedAt: LATER,
          },
        },
      ]);
    const cleared = spec
      .given([joined, site])
      .when({
        type: 'ApplySystemAnnotations',
        ...at,
        owner: 'nodepool',
        remove: ['note', 'superedge.io/site'],
        now: LATER,
      })
      .events();
    expect(cleared).toEqual([
      {
        type: 'NodeSystemAnnotationsChanged',
        data: { ...at, owner: 'nodepool', set: {}, removed: ['note', 'superedge.io/site'], changedAt: LATER },
      },
    ]);
    // The owner's empty layer disappears.
    expect(present([joined, site, ...cleared]).systemAnnotations).toEqual({});
    spec
      .given([joined, site])
      .when({
        type: 'ApplySystemAnnotations',
        ...at,
        owner: 'nodepool',
        set: { note: 'rack 4\nrow B' },
        now: LATER,
      })
      .thenNothingHappens();
    spec
      .given([joined])
      .when({ type: 'ApplySystemAnnotations', ...at, owner: 'nodepool', set: {}, remove: ['x'], now: LATER })
      .thenNothingHappens();
  });

  it('refuses bad keys, a key both set and removed, and a key another owner holds', () => {
    spec
      .given([joined])
      .when({
        type: 'ApplySystemAnnotations',
        ...at,
        owner: 'nodepool',
        set: { 'bad key': 'x', 'a/b/c': 'y', ok: 'z' },
        remove: ['ok', '-dash'],
        now: NOW,
      })
      .thenThrows(
        ValidationError,
        (e: ValidationError) =>
          hasViolation('set.bad key', 'annotation key')(e) &&
          hasViolation('set.a/b/c', 'annotation key')(e) &&
          hasViolation('remove.ok', 'both set and removed')(e) &&
          hasViolation('remove.-dash', 'annotation key')(e),
      );
    spec
      .given([joined, site])
      .when({ type: 'ApplySystemAnnotations', ...at, owner: 'addons', set: { note: 'mine' }, now: LATER })
      .thenThrows(ValidationError, hasViolation('set.note', 'managed by the nodepool service'));
    spec
      .given([joined, site])
      .when({ type: 'ApplySystemAnnotations', ...at, owner: 'addons', remove: ['note'], now: LATER })
      .thenThrows(ValidationError, hasViolation('remove.note', 'nodepool'));
    spec
      .given([joined])
      .when({
        type: 'ApplySystemAnnotations',
        ...at,
        owner: 'nodepool',
        set: { 'edgeplane.io/cluster-id': 'other' },
        now: NOW,
      })
      .thenThrows(
        ValidationError,
        hasViolation('set.edgeplane.io/cluster-id', 'managed by the cluster service'),
      );
  });

  it('refuses an operator or malformed owner, and annotations beyond 256 KiB in total', () => {
    spec
      .given([joined])
      .when({ type: 'ApplySystemAnnotations', ...at, owner: 'operator', set: { a: 'b' }, now: NOW })
      .thenThrows(ValidationError, hasViolation('owner'));
    spec
      .given([joined])
      .when({ type: 'ApplySystemAnnotations', ...at, owner: 'Node Pool', set: { a: 'b' }, now: NOW })
      .thenThrows(ValidationError, hasViolation('owner'));
    // Within the cap on its own, beyond it together with another owner's layer (bytes, not characters).
    const half = 'é'.repeat(64 * 1024); // 128 KiB of UTF-8
    const big: NodeEvent = {
      type: 'NodeSystemAnnotationsChanged',
      data: { ...at, owner: 'addons', set: { big: half }, removed: [], changedAt: NOW },
    };
    expect(
      spec
        .given([joined])
        .when({ type: 'ApplySystemAnnotations', ...at, owner: 'addons', set: { big: half }, now: NOW })
        .events(),
    ).toEqual([big]);
    spec
      .given([joined, big])
      .when({ type: 'ApplySystemAnnotations', ...at, owner: 'nodepool', set: { huge: half }, now: NOW })
      .thenThrows(ValidationError, hasViolation('set', '262144 bytes'));
    expect(annotationsSize({ ab: 'é' })).toBe(4);
  });

  it('is a no-op for a removed node, and refused for an unknown one', () => {
    const removed: NodeEvent = {
      type: 'NodeRemoved',
      data: {
        ...at,
        source: { kind: 'script' },
        reason: 'operator',
        releaseMachine: null,
        revokedCredentialSerial: null,
        removedAt: NOW,
      },
    };
    spec
      .given([joined, removed])
      .when({ type: 'ApplySystemAnnotations', ...at, owner: 'nodepool', set: { a: 'b' }, now: LATER })
      .thenNothingHappens();
    spec
      .given([])
      .when({ type: 'ApplySystemAnnotations', ...at, owner: 'nodepool', set: { a: 'b' }, now: LATER })
      .thenThrows(NotFoundError);
  });

  it('a node folded before annotation layers existed (no systemAnnotations) takes its first layer', () => {
    const { systemAnnotations: _dropped, ...legacy } = present([joined]);
    expect(effectiveAnnotations(legacy as PresentNode)).toEqual({});
    expect(
      nodeDecider.decide(
        {
          type: 'ApplySystemAnnotations',
          ...at,
          owner: 'nodepool',
          set: { 'superedge.io/site': 'gz-dc1', note: 'rack 4\nrow B' },
          now: NOW,
        },
        legacy as PresentNode,
      ),
    ).toEqual([site]);
  });
});

describe('Node decider — operator taints (F-NO-6)', () => {
  const gpu = { key: 'example.com/gpu', value: 'true', effect: 'NoSchedule' as const };

  it('adds, replaces and removes taints by (key, effect)', () => {
    const added = spec
      .given([joined])
      .when({ type: 'TaintNode', ...at, set: [gpu], now: NOW })
      .events();
    expect(added).toEqual([
      {
        type: 'NodeTaintsChanged',
        data: { ...at, added: [gpu], removed: [], taints: [gpu], changedAt: NOW },
      },
    ]);
    const replaced = spec
      .given([joined, ...added])
      .when({ type: 'TaintNode', ...at, set: [{ ...gpu, value: 'false' }], now: LATER })
      .events();
    expect(replaced[0]?.data).toMatchObject({
      added: [{ ...gpu, value: 'false' }],
      taints: [{ ...gpu, value: 'false' }],
    });
    spec
      .given([joined, ...added])
      .when({ type: 'TaintNode', ...at, remove: [{ key: 'example.com/gpu' }], now: LATER })
      .then([
        {
          type: 'NodeTaintsChanged',
          data: { ...at, added: [], removed: [gpu], taints: [], changedAt: LATER },
        },
      ]);
  });

  it('does nothing when the taints already hold', () => {
    const added: NodeEvent = {
      type: 'NodeTaintsChanged',
      data: { ...at, added: [gpu], removed: [], taints: [gpu], changedAt: NOW },
    };
    spec
      .given([joined, added])
      .when({ type: 'TaintNode', ...at, set: [gpu], remove: [{ key: 'other' }], now: LATER })
      .thenNothingHappens();
  });

  it('refuses bad syntax, reserved condition keys and system-owned keys', () => {
    spec
      .given([joined])
      .when({
        type: 'TaintNode',
        ...at,
        set: [
          { key: 'bad key', value: 'v', effect: 'NoSchedule' },
          { key: 'ok', effect: 'Never' },
        ],
        now: NOW,
      })
      .thenThrows(
        ValidationError,
        (e: ValidationError) =>
          e.violations.some((v) => v.field === 'set[0]') &&
          e.violations.some((v) => v.field === 'set[1]' && v.description.includes('Never')),
      );
    spec
      .given([joined])
      .when({
        type: 'TaintNode',
        ...at,
        set: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }],
        now: NOW,
      })
      .thenThrows(ValidationError, hasViolation('set[0]', 'reserved'));
    const owned: NodeEvent = {
      type: 'NodeSystemTaintsChanged',
      data: {
        ...at,
        owner: 'addons',
        taints: [{ key: 'example.com/dedicated', value: '', effect: 'NoSchedule' }],
        changedAt: NOW,
      },
    };
    spec
      .given([joined, owned])
      .when({ type: 'TaintNode', ...at, remove: [{ key: 'example.com/dedicated' }], now: NOW })
      .thenThrows(ValidationError, hasViolation('remove[0]', 'addons'));
    spec
      .given([joined])
      .when({ type: 'TaintNode', ...at, now: NOW })
      .thenThrows(ValidationError, hasViolation('set'));
  });

  it('refuses taints on an absent node', () => {
    spec
      .given([])
      .when({ type: 'TaintNode', ...at, set: [gpu], now: NOW })
      .thenThrows(NotFoundError);
  });
});

describe('Node decider — cordon, uncordon, drain, remove (F-NO-6, F-CL-3)', () => {
  it('cordons with a reason; the node shows the unschedulable taint; cordoning again does nothing', () => {
    spec
      .given([joined])
      .when({ type: 'CordonNode', ...at, reason: 'maintenance', now: NOW })
      .then([operatorCordon]);
    spec
      .given([joined, operatorCordon])
      .when({ type: 'CordonNode', ...at, now: LATER })
      .thenNothingHappens();
    const node = present([joined, operatorCordon]);
    expect(isSchedulable(node)).toBe(false);
    expect(effectiveTaints(node)).toContainEqual({
      key: 'node.kubernetes.io/unschedulable',
      value: '',
      effect: 'NoSchedule',
    });
  });

  it('uncordons an operator cordon; uncordoning a schedulable node does nothing', () => {
    spec
      .given([joined, operatorCordon])
      .when({ type: 'UncordonNode', ...at, now: LATER })
      .then([
        {
          type: 'NodeUncordoned',
          data: { ...at, holder: 'operator', stillCordonedBy: [], uncordonedAt: LATER },
        },
      ]);
    spec
      .given([joined])
      .when({ type: 'UncordonNode', ...at, now: LATER })
      .thenNothingHappens();
  });

  it('an operator uncordon cannot lift the tier-capacity cordon', () => {
    spec
      .given([joined, capacityCordon])
      .when({ type: 'UncordonNode', ...at, now: LATER })
      .thenThrows(IllegalStateError, (e) => e.message.includes('tier L5 allows 5 nodes'));
    const events = spec
      .given([joined, capacityCordon, operatorCordon])
      .when({ type: 'UncordonNode', ...at, now: LATER })
      .events();
    expect(events).toEqual([
      {
        type: 'NodeUncordoned',
        data: { ...at, holder: 'operator', stillCordonedBy: ['tier-capacity'], uncordonedAt: LATER },
      },
    ]);
    expect(isSchedulable(present([joined, capacityCordon, operatorCordon, ...events]))).toBe(false);
  });

  it('LiftCapacityCordon lifts only the capacity cordon and is a no-op otherwise', () => {
    const lifted = spec
      .given([joined, capacityCordon])
      .when({ type: 'LiftCapacityCordon', ...at, now: LATER })
      .events();
    expect(lifted).toEqual([
      {
        type: 'NodeUncordoned',
        data: { ...at, holder: 'tier-capacity', stillCordonedBy: [], uncordonedAt: LATER },
      },
    ]);
    expect(isSchedulable(present([joined, capacityCordon, ...lifted]))).toBe(true);
    expect(
      spec
        .given([joined, operatorCordon, capacityCordon])
        .when({ type: 'LiftCapacityCordon', ...at, now: LATER })
        .events()[0]?.data,
    ).toMatchObject({ stillCordonedBy: ['operator'] });
    spec
      .given([joined, operatorCordon])
      .when({ type: 'LiftCapacityCordon', ...at, now: LATER })
      .thenNothingHappens();
    spec
      .given([])
      .when({ type: 'LiftCapacityCordon', ...at, now: LATER })
      .thenNothingHappens();
  });

  it('drain cordons and requests eviction for the grid service; a pending drain is not repeated', () => {
    const drain: NodeCommand = { type: 'DrainNode', ...at, requestId: 'drain-1', now: NOW };
    const events = spec.given([joined]).when(drain).events();
    expect(events).toEqual([
      {
        type: 'NodeCordoned',
        data: { ...at, holder: 'operator', reason: 'drained by operator', cordonedAt: NOW },
      },
      {
        type: 'NodeDrainRequested',
        data: { ...at, requestId: 'drain-1', gracePeriodSeconds: 30, requestedAt: NOW },
      },
    ]);
    spec
      .given([joined, ...events])
      .when({ ...drain, requestId: 'drain-2' })
      .thenNothingHappens();
    // Already cordoned: only the eviction request.
    expect(
      spec
        .given([joined, operatorCordon])
        .when(drain)
        .events()
        .map((e) => e.type),
    ).toEqual(['NodeDrainRequested']);
    // Uncordon ends the drain, so a new drain is requested again.
    const uncordon: NodeEvent = {
      type: 'NodeUncordoned',
      data: { ...at, holder: 'operator', stillCordonedBy: [], uncordonedAt: LATER },
    };
    expect(
      spec
        .given([joined, ...events, uncordon])
        .when({ ...drain, requestId: 'drain-3' })
        .events(),
    ).toHaveLength(2);
  });

  it('refuses a drain with a bad grace period or no request id, and on an absent node', () => {
    spec
      .given([joined])
      .when({ type: 'DrainNode', ...at, requestId: 'd', gracePeriodSeconds: -1, now: NOW })
      .thenThrows(ValidationError, hasViolation('gracePeriodSeconds'));
    spec
      .given([joined])
      .when({ type: 'DrainNode', ...at, requestId: ' ', now: NOW })
      .thenThrows(ValidationError, hasViolation('requestId'));
    spec
      .given([])
      .when({ type: 'DrainNode', ...at, requestId: 'd', now: NOW })
      .thenThrows(NotFoundError);
    spec
      .given([])
      .when({ type: 'CordonNode', ...at, now: NOW })
      .thenThrows(NotFoundError);
    spec
      .given([])
      .when({ type: 'UncordonNode', ...at, now: NOW })
      .thenThrows(NotFoundError);
  });

  it('removing a script node deletes the record only and revokes its credential', () => {
    const issued: NodeEvent = {
      type: 'NodeCredentialIssued',
      data: { ...at, ...credential(3), replacesSerial: null, issuedAt: NOW },
    };
    const events = spec
      .given([joined, issued])
      .when({ type: 'RemoveNode', ...at, now: LATER })
      .events();
    expect(events).toEqual([
      {
        type: 'NodeRemoved',
        data: {
          ...at,
          source: { kind: 'script' },
          reason: 'operator',
          releaseMachine: null,
          revokedCredentialSerial: credential(3).serial,
          removedAt: LATER,
        },
      },
    ]);
    expect(
      verifyNodeCredential(fold(nodeDecider, [joined, issued, ...events]), credential(3).fingerprint),
    ).toBe(false);
  });

  it('removing a provider node asks the provider to release the machine', () => {
    const providerJoined = nodeDecider.decide(
      join({ source: { kind: 'provider', provider: 'ecm', machineId: 'ein-123' } }),
      { status: 'absent' },
    );
    const [removed] = spec
      .given(providerJoined)
      .when({ type: 'RemoveNode', ...at, reason: 'cluster-deleted', now: LATER })
      .events();
    expect(removed?.data).toMatchObject({
      reason: 'cluster-deleted',
      releaseMachine: { provider: 'ecm', machineId: 'ein-123' },
    });
  });

  it('removing twice does nothing; removing an unknown node is refused', () => {
    const removed = nodeDecider.decide({ type: 'RemoveNode', ...at, now: NOW }, present([joined]));
    spec
      .given([joined, ...removed])
      .when({ type: 'RemoveNode', ...at, now: LATER })
      .thenNothingHappens();
    spec
      .given([])
      .when({ type: 'RemoveNode', ...at, now: LATER })
      .thenThrows(NotFoundError);
  });
});

describe('Node views', () => {
  it('stream id is per (cluster, name), so a duplicate join lands on the existing stream', () => {
    expect(nodeStreamId(CLUSTER_ID, NODE)).toBe(`node-${CLUSTER_ID}-${NODE}`);
  });

  it('every node event is a valid catalogue entry and has a timeline line', () => {
    const all: NodeEvent[] = [];
    const run = (cmd: NodeCommand) => all.push(...nodeDecider.decide(cmd, fold(nodeDecider, all)));
    run(join({ admission: { overCapacity: true, tier: 'L5', nodeCap: 5 } }));
    run({ type: 'IssueNodeCredential', ...at, credential: credential(3), now: NOW });
    run({ type: 'LabelNode', ...at, set: { 'nvidia-device-enable': 'enable' }, now: NOW });
    run({
      type: 'ApplySystemLabels',
      ...at,
      owner: 'nodepool',
      set: { 'unit-gz': 'nodeunits.superedge.io' },
      now: NOW,
    });
    run({
      type: 'TaintNode',
      ...at,
      set: [{ key: 'dedicated', value: 'ai', effect: 'NoSchedule' }],
      now: NOW,
    });
    run({
      type: 'ApplySystemTaints',
      ...at,
      owner: 'health-arbiter',
      taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }],
      now: NOW,
    });
    run({
      type: 'ApplySystemAnnotations',
      ...at,
      owner: 'nodepool',
      set: { 'superedge.io/site': 'gz-dc1' },
      now: NOW,
    });
    run({ type: 'LiftCapacityCordon', ...at, now: NOW });
    run({ type: 'DrainNode', ...at, requestId: 'd1', now: NOW });
    run({ type: 'UncordonNode', ...at, now: NOW });
    run({ type: 'RemoveNode', ...at, now: NOW });
    expect(new Set(all.map((e) => e.type)).size).toBe(12);
    expectCatalogued(all);
    const lines = all.map(timelineEntry);
    expect(lines.every((l) => l.at && l.message)).toBe(true);
    expect(lines.find((l) => l.type === 'NodeCordoned')?.message).toContain('tier-capacity');
  });
});
