import { describe, expect, it } from 'vitest';
import {
  AlreadyExistsError,
  DeciderSpecification,
  IllegalStateError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
  type Decider,
} from '@edgeplane/es-kit';
import {
  CLUSTER_EVENTS,
  JOIN_TOKEN_EVENTS,
  clusterDecider,
  decideRedemption,
  hashTokenSecret,
  initialClusterState,
  initialJoinTokenState,
  initialNodeState,
  joinTokenDecider,
  nodeDecider,
  type ClusterEvent,
  type JoinTokenEvent,
  type NodeCertificate,
  type NodeEvent,
  type RedeemJoinTokenForNode,
  type RedemptionState,
} from '../src/index.js';
import {
  CLUSTER_ID,
  NOW,
  admitted,
  createdEvents,
  credential,
  expectCatalogued,
  hasViolation,
  publicAccessOn,
} from './fixtures.js';

/**
 * Join-token redemption as one pure decision over three streams. The spec runs it as a decider
 * whose state is the three aggregates (each event folded into its own) and whose events are the
 * three streams' events in append order: token, cluster, node.
 */
type RedemptionEvent = JoinTokenEvent | ClusterEvent | NodeEvent;

const isTokenEvent = (e: RedemptionEvent): e is JoinTokenEvent =>
  JOIN_TOKEN_EVENTS.some((d) => d.type === e.type);
const isClusterEvent = (e: RedemptionEvent): e is ClusterEvent =>
  CLUSTER_EVENTS.some((d) => d.type === e.type);

const redemption: Decider<RedemptionState, RedeemJoinTokenForNode, RedemptionEvent> = {
  decide(command, state) {
    const { events } = decideRedemption(command, state);
    return [...events.token, ...events.cluster, ...events.node];
  },
  evolve(state, event) {
    if (isTokenEvent(event)) return { ...state, token: joinTokenDecider.evolve(state.token, event) };
    if (isClusterEvent(event)) return { ...state, cluster: clusterDecider.evolve(state.cluster, event) };
    return { ...state, node: nodeDecider.evolve(state.node, event) };
  },
  initialState: { token: initialJoinTokenState, cluster: initialClusterState, node: initialNodeState },
};
const spec = DeciderSpecification(redemption);

const TOKEN_ID = 'a1b2c3d4e5';
const HASH = hashTokenSecret('Zm9vYmFyYmF6cXV4cXV1eA');
const NODE = 'edge-gz-01';
const JOIN_AT = '2025-03-01T20:00:00.000Z';
const at = { clusterId: CLUSTER_ID, nodeName: NODE };
const INVENTORY = {
  arch: 'x86_64' as const,
  os: 'Ubuntu 22.04',
  interface: 'eth0',
  ips: ['192.168.1.10'],
  gpuModel: null,
};
function redeem(overrides: Partial<RedeemJoinTokenForNode> = {}): RedeemJoinTokenForNode {
  return {
    type: 'RedeemJoinTokenForNode',
    tokenId: TOKEN_ID,
    presentedSecretHash: HASH,
    nodeName: NODE,
    inventory: INVENTORY,
    certificate: { status: 'signed', credential: credential(7) },
    now: JOIN_AT,
    ...overrides,
  };
}

const tokenCreated: JoinTokenEvent = {
  type: 'JoinTokenCreated',
  data: {
    tokenId: TOKEN_ID,
    clusterId: CLUSTER_ID,
    secretHash: HASH,
    ttlSeconds: 86_400,
    expiresAt: '2025-03-02T08:00:00.000Z',
    containerDir: '/var/lib/containerd',
    preInstallScript: { sha256: 'a'.repeat(64), bytes: 11 },
    postInstallScript: null,
    createdAt: NOW,
  },
};
const tokenRevoked: JoinTokenEvent = {
  type: 'JoinTokenRevoked',
  data: { tokenId: TOKEN_ID, clusterId: CLUSTER_ID, revokedAt: '2025-03-01T10:00:00.000Z' },
};
const tokenRedeemed = (nodeName: string, redeemedAt = JOIN_AT): JoinTokenEvent => ({
  type: 'JoinTokenRedeemed',
  data: { tokenId: TOKEN_ID, clusterId: CLUSTER_ID, nodeName, redeemedAt },
});

/** A token of a cluster with public access on and `n` admitted nodes (node-1 … node-n; L5 caps at 5). */
function joinable(n = 0, clusterOverrides = {}): RedemptionEvent[] {
  const events: RedemptionEvent[] = [tokenCreated, ...createdEvents(clusterOverrides), publicAccessOn];
  for (let i = 1; i <= n; i++) events.push(admitted(`node-${i}`, i, i > 5));
  return events;
}

/** The node joined with this token earlier (and is still there, unless a later event removes it). */
const joinedBefore = (): RedemptionEvent[] => [
  ...joinable(),
  tokenRedeemed(NODE, NOW),
  admitted(NODE, 1),
  nodeJoined(NOW),
  credentialIssued(6, NOW),
];

const nodeAdmitted = (nodeCount: number, overCapacity = false, tier = 'L5'): ClusterEvent => ({
  type: 'ClusterNodeAdmitted',
  data: { ...at, nodeCount, tier, overCapacity, admittedAt: JOIN_AT },
});
const nodeJoined = (joinedAt = JOIN_AT): NodeEvent => ({
  type: 'NodeJoined',
  data: {
    ...at,
    source: { kind: 'script' },
    tokenId: TOKEN_ID,
    inventory: INVENTORY,
    systemLabels: {
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/os': 'linux',
      'kubernetes.io/hostname': NODE,
    },
    joinedAt,
  },
});
const credentialIssued = (n = 7, issuedAt = JOIN_AT): NodeEvent => ({
  type: 'NodeCredentialIssued',
  data: { ...at, ...credential(n), replacesSerial: null, issuedAt },
});

describe('Join-token redemption — accepted (F-NO-1, F-CL-3)', () => {
  it('records the redemption on the token, counts the node on the cluster, joins it with its credential', () => {
    spec
      .given(joinable())
      .when(redeem())
      .then([tokenRedeemed(NODE), nodeAdmitted(1), nodeJoined(), credentialIssued()]);
  });

  it('tells the node what the token carries: container directory and scripts', () => {
    const { token } = decideRedemption(
      redeem(),
      joinable().reduce(redemption.evolve, redemption.initialState),
    );
    expect(token).toMatchObject({
      containerDir: '/var/lib/containerd',
      preInstallScript: { sha256: 'a'.repeat(64), bytes: 11 },
    });
  });

  it('beyond the cap with auto-upgrade off: admitted over capacity and cordoned for it, with the reason', () => {
    const events = spec.given(joinable(5)).when(redeem()).events();
    expect(events.map((e) => e.type)).toEqual([
      'JoinTokenRedeemed',
      'ClusterNodeAdmitted',
      'NodeJoined',
      'NodeCordoned',
      'NodeCredentialIssued',
    ]);
    expect(events[1]).toEqual(nodeAdmitted(6, true));
    expect(events[3]?.data).toMatchObject({
      ...at,
      holder: 'tier-capacity',
      reason: expect.stringContaining('L5'),
    });
  });

  it('beyond the cap with auto-upgrade on: the tier rises one step and nobody is cordoned', () => {
    const events = spec
      .given(joinable(5, { autoUpgrade: true }))
      .when(redeem())
      .events();
    expect(events.map((e) => e.type)).toEqual([
      'JoinTokenRedeemed',
      'ClusterTierChanged',
      'ClusterNodeAdmitted',
      'NodeJoined',
      'NodeCredentialIssued',
    ]);
    expect(events[1]?.data).toMatchObject({ from: 'L5', to: 'L20', cause: 'auto-upgrade' });
    expect(events[2]).toEqual(nodeAdmitted(6, false, 'L20'));
  });

  it('a removed node the cluster still counts (its release is a reaction) is released first, then rejoins', () => {
    spec
      .given([
        ...joinedBefore(),
        {
          type: 'NodeRemoved',
          data: {
            ...at,
            source: { kind: 'script' },
            reason: 'operator',
            releaseMachine: null,
            revokedCredentialSerial: credential(6).serial,
            removedAt: NOW,
          },
        },
      ])
      .when(redeem())
      .then([
        // The token admitted this name before: no second redemption on the token.
        { type: 'ClusterNodeReleased', data: { ...at, nodeCount: 0, releasedAt: JOIN_AT } },
        nodeAdmitted(1),
        nodeJoined(),
        credentialIssued(),
      ]);
  });

  it('every event of a redemption is a valid catalogue entry', () => {
    expectCatalogued(spec.given(joinable(5)).when(redeem()).events());
  });
});

describe('Join-token redemption — refused, the first failing rule answers', () => {
  it('1. an unknown token and a wrong secret look alike', () => {
    spec
      .given([])
      .when(redeem())
      .thenThrows(UnauthenticatedError, (e) => e.message.includes('not valid'));
    spec
      .given(joinable())
      .when(redeem({ presentedSecretHash: hashTokenSecret('guessed') }))
      .thenThrows(UnauthenticatedError, (e) => e.message.includes('not valid'));
  });

  it('1. a revoked token, and an expired one from the expiry instant on', () => {
    spec
      .given([...joinable(), tokenRevoked])
      .when(redeem())
      .thenThrows(UnauthenticatedError, (e) => e.message.includes('revoked'));
    spec
      .given(joinable())
      .when(redeem({ now: '2025-03-02T08:00:00.000Z' }))
      .thenThrows(UnauthenticatedError, (e) => e.message.includes('expired at 2025-03-02T08:00:00.000Z'));
  });

  it('1. a deleted cluster, and one with neither access mode on', () => {
    spec
      .given([
        ...joinable(),
        {
          type: 'ClusterDeleted',
          data: {
            clusterId: CLUSTER_ID,
            name: 'factory-gz',
            nodeNames: [],
            revokedAdminSerial: credential(1).serial,
            deletedAt: NOW,
          },
        },
      ])
      .when(redeem())
      .thenThrows(NotFoundError);
    spec
      .given([tokenCreated, ...createdEvents()])
      .when(redeem())
      .thenThrows(IllegalStateError, (e) => e.message.includes('neither public nor private'));
  });

  it('1. a node name that is not DNS-1123 (an IP address here)', () => {
    spec
      .given(joinable())
      .when(redeem({ nodeName: '10.0.0.7' }))
      .thenThrows(ValidationError, (e: ValidationError) => e.violations.every((v) => v.field === 'nodeName'));
  });

  it('2. a name a present node holds: refused, never replacing it', () => {
    spec
      .given(joinedBefore())
      .when(redeem())
      .thenThrows(AlreadyExistsError, (e) =>
        e.message.includes(`node "${NODE}" already exists in cluster factory-gz`),
      );
  });

  it('3. admission: a tier the reference data no longer lists', () => {
    spec
      .given([
        ...joinable(),
        {
          type: 'ClusterTierChanged',
          data: {
            clusterId: CLUSTER_ID,
            from: 'L5',
            to: 'L7',
            direction: 'up',
            cause: 'manual',
            usage: { nodes: 0, pods: 0, configMaps: 0, crds: 0 },
            changedAt: NOW,
          },
        },
      ])
      .when(redeem())
      .thenThrows(IllegalStateError, (e) => e.message.includes('tier L7'));
  });

  it('4. the node record: an inventory that does not describe a machine', () => {
    spec
      .given(joinable())
      .when(redeem({ inventory: { ...INVENTORY, arch: 'sparc', ips: [] } }))
      .thenThrows(
        ValidationError,
        (e: ValidationError) =>
          hasViolation('inventory.arch', 'sparc')(e) && hasViolation('inventory.ips', 'at least one')(e),
      );
  });

  it('5. the identity: no CA in the key store, or a CSR that was refused', () => {
    spec
      .given(joinable())
      .when(redeem({ certificate: { status: 'no-ca' } }))
      .thenThrows(IllegalStateError, (e) => e.message.includes('no CA for cluster factory-gz'));
    const refused = {
      field: 'csrPem',
      description: `the CSR's common name is "x" but must be "system:node:${NODE}"`,
    };
    spec
      .given(joinable())
      .when(redeem({ certificate: { status: 'refused', violations: [refused] } }))
      .thenThrows(
        ValidationError,
        (e: ValidationError) => e.violations.length === 1 && e.violations[0] === refused,
      );
  });

  it('the order holds when several rules fail at once', () => {
    const badCsr: NodeCertificate = {
      status: 'refused',
      violations: [{ field: 'csrPem', description: 'not a CSR' }],
    };
    // token before the name, the inventory and the CSR
    spec
      .given([...joinable(), tokenRevoked, admitted(NODE, 1), nodeJoined(NOW)])
      .when(redeem({ inventory: { ...INVENTORY, arch: 'sparc' }, certificate: badCsr }))
      .thenThrows(UnauthenticatedError);
    // the name before the inventory and the CSR
    spec
      .given([...joinable(), tokenRedeemed(NODE, NOW), admitted(NODE, 1), nodeJoined(NOW)])
      .when(redeem({ inventory: { ...INVENTORY, arch: 'sparc' }, certificate: badCsr }))
      .thenThrows(AlreadyExistsError);
    // the inventory before the identity
    spec
      .given(joinable())
      .when(redeem({ inventory: { ...INVENTORY, arch: 'sparc' }, certificate: { status: 'no-ca' } }))
      .thenThrows(ValidationError, hasViolation('inventory.arch'));
  });
});
