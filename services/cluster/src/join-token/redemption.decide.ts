import {
  AlreadyExistsError,
  IllegalStateError,
  ValidationError,
  type FieldViolation,
} from '@edgeplane/es-kit';
import { clusterDecider } from '../cluster/cluster.decider.js';
import type {
  ClusterEvent,
  ClusterEventOf,
  ClusterState,
  CredentialFacts,
} from '../cluster/cluster.state.js';
import { joinContextOf } from '../cluster/cluster.views.js';
import { nodeDecider } from '../node/node.decider.js';
import type { JoinNode } from '../node/node.lifecycle.decide.js';
import type { NodeEvent, NodeState } from '../node/node.state.js';
import { defaultReferenceData, findTier } from '../reference-data/reference-data.js';
import { joinTokenDecider } from './join-token.decider.js';
import type { IssuedJoinToken, JoinTokenEvent, JoinTokenState } from './join-token.state.js';

/**
 * A node redeems a join token (F-NO-1): one decision over three streams — the token, its cluster
 * and the node's stream — so the tier's node count can never drift from the nodes that exist.
 * Pure: the handler loads the three states, signs the node's certificate (async, keyed crypto)
 * and appends what this returns, all in one transaction.
 */

/** The node certificate the handler signed from the node's CSR before deciding — or why it could not. */
export type NodeCertificate =
  | { status: 'signed'; credential: CredentialFacts }
  /** the CSR is not PKCS#10, its signature does not verify, or its CN names another node */
  | { status: 'refused'; violations: FieldViolation[] }
  /** the key store holds no CA for the token's cluster (or the token names no cluster) */
  | { status: 'no-ca' };

export interface RedeemJoinTokenForNode {
  type: 'RedeemJoinTokenForNode';
  tokenId: string;
  /** SHA-256 (hex) of the secret the node presented. */
  presentedSecretHash: string;
  nodeName: string;
  inventory: JoinNode['inventory'];
  certificate: NodeCertificate;
  now: string;
}

/** The three aggregates a redemption decides over (each `absent` when its stream is empty). */
export interface RedemptionState {
  token: JoinTokenState;
  cluster: ClusterState;
  node: NodeState;
}

export interface Redemption {
  /** The redeemed token: what the node is told (container directory, scripts). */
  token: IssuedJoinToken;
  /** Each stream's new events, appended together with the versions the states were read at. */
  events: { token: JoinTokenEvent[]; cluster: ClusterEvent[]; node: NodeEvent[] };
}

/**
 * The rules, in this order (the first that fails is the answer):
 *  1. the token: secret, revocation, expiry, its cluster joinable, the node name (JoinToken decider);
 *  2. the name free in the cluster: a duplicate is refused, never allowed to replace the present node;
 *  3. admission against the tier (a node removed a moment ago but still counted is released first);
 *  4. the node record with that admission (beyond the cap: also cordoned for capacity);
 *  5. the node's identity: a CA to sign with, a CSR that was accepted → IssueNodeCredential.
 */
export function decideRedemption(c: RedeemJoinTokenForNode, s: RedemptionState): Redemption {
  const { tokenId, nodeName, now } = c;
  const clusterId = s.token.status === 'absent' ? '' : s.token.clusterId;

  // 1. The token.
  const tokenEvents = joinTokenDecider.decide(
    {
      type: 'RedeemJoinToken',
      tokenId,
      presentedSecretHash: c.presentedSecretHash,
      nodeName,
      cluster: joinContextOf(s.cluster, clusterId),
      now,
    },
    s.token,
  );
  const token = s.token;
  const cluster = s.cluster;
  // The token decision has refused an absent token and an inactive cluster already.
  if (token.status === 'absent' || cluster.status !== 'active') {
    throw new IllegalStateError(`cluster ${clusterId} is not active`);
  }

  // 2. The name must be free.
  if (s.node.status === 'present') {
    throw new AlreadyExistsError(
      'node',
      nodeName,
      `node "${nodeName}" already exists in cluster ${cluster.spec.name}`,
    );
  }

  // 3. Admission against the tier. A node removed a moment ago may still be counted (its release
  //    is a reaction); settle that first so the name can come back.
  const clusterEvents: ClusterEvent[] = [];
  let admitting: ClusterState = cluster;
  if (cluster.nodes.includes(nodeName)) {
    const released = clusterDecider.decide(
      { type: 'RecordNodeRemoved', clusterId, nodeName, now },
      admitting,
    );
    clusterEvents.push(...released);
    admitting = released.reduce(clusterDecider.evolve, admitting);
  }
  const admittedEvents = clusterDecider.decide({ type: 'AdmitNode', clusterId, nodeName, now }, admitting);
  clusterEvents.push(...admittedEvents);
  const admission = admittedEvents.find(isAdmission)?.data;
  if (!admission) {
    throw new IllegalStateError(`node ${nodeName} is already counted in cluster ${cluster.spec.name}`);
  }
  const tier = findTier(defaultReferenceData, admission.tier);
  if (!tier) throw new IllegalStateError(`tier ${admission.tier} is not in the reference data`);

  // 4. The node record.
  const joinEvents = nodeDecider.decide(
    {
      type: 'JoinNode',
      clusterId,
      nodeName,
      source: { kind: 'script' },
      tokenId,
      inventory: c.inventory,
      admission: { overCapacity: admission.overCapacity, tier: tier.name, nodeCap: tier.nodes },
      now,
    },
    s.node,
  );
  const joined = joinEvents.reduce(nodeDecider.evolve, s.node);

  // 5. The node's identity, signed from its own CSR (its private key never leaves it).
  if (c.certificate.status === 'no-ca') {
    throw new IllegalStateError(`the key store has no CA for cluster ${cluster.spec.name}`);
  }
  if (c.certificate.status === 'refused') throw new ValidationError(c.certificate.violations);
  const credentialEvents = nodeDecider.decide(
    { type: 'IssueNodeCredential', clusterId, nodeName, credential: c.certificate.credential, now },
    joined,
  );

  return {
    token,
    events: { token: tokenEvents, cluster: clusterEvents, node: [...joinEvents, ...credentialEvents] },
  };
}

function isAdmission(event: ClusterEvent): event is ClusterEventOf<'ClusterNodeAdmitted'> {
  return event.type === 'ClusterNodeAdmitted';
}
