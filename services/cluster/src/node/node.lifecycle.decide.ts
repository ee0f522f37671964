import {
  AlreadyExistsError,
  IllegalStateError,
  ValidationError,
  type FieldViolation,
} from '@edgeplane/es-kit';
import { freeTextProblems, labelValueProblems, nodeNameProblems } from '@edgeplane/k8s';
import { isIpAddress } from '../network/cidr.js';
import {
  ARCHES,
  CORDON_HOLDERS,
  KUBERNETES_ARCH,
  nodeEvent,
  type CordonHolder,
  type NodeEvent,
  type NodeInventory,
  type NodeSource,
  type NodeState,
  type PresentNode,
} from './node.state.js';

/** A node's lifecycle (F-NO-1, F-NO-6): join, credential, cordons, drain, removal. */

export interface JoinNode {
  type: 'JoinNode';
  clusterId: string;
  nodeName: string;
  source: NodeSource;
  tokenId: string | null;
  inventory: { arch: string; os: string; interface: string; ips: string[]; gpuModel?: string | null };
  /** The cluster's ClusterNodeAdmitted decision for this node (tier cap). */
  admission: { overCapacity: boolean; tier: string; nodeCap: number };
  now: string;
}

export interface IssueNodeCredential {
  type: 'IssueNodeCredential';
  clusterId: string;
  nodeName: string;
  credential: { serial: string; fingerprint: string; notBefore: string; notAfter: string };
  now: string;
}

export interface CordonNode {
  type: 'CordonNode';
  clusterId: string;
  nodeName: string;
  reason?: string;
  now: string;
}

export interface UncordonNode {
  type: 'UncordonNode';
  clusterId: string;
  nodeName: string;
  now: string;
}

export interface DrainNode {
  type: 'DrainNode';
  clusterId: string;
  nodeName: string;
  requestId: string;
  gracePeriodSeconds?: number;
  now: string;
}

export interface RemoveNode {
  type: 'RemoveNode';
  clusterId: string;
  nodeName: string;
  reason?: 'operator' | 'cluster-deleted';
  now: string;
}

/** Reaction to ClusterCapacityCordonsLifted: lifts only the tier-capacity cordon. */
export interface LiftCapacityCordon {
  type: 'LiftCapacityCordon';
  clusterId: string;
  nodeName: string;
  now: string;
}

export function joinNode(c: JoinNode, state: NodeState): NodeEvent[] {
  const violations: FieldViolation[] = [];
  for (const problem of nodeNameProblems(c.nodeName))
    violations.push({ field: 'nodeName', description: problem });
  const inv = c.inventory;
  const arch = ARCHES.find((a) => a === inv.arch);
  if (!arch) {
    violations.push({
      field: 'inventory.arch',
      description: `architecture must be x86_64, arm64 or arm, got "${inv.arch}"`,
    });
  }
  if (!inv.os.trim() || inv.os.length > 128)
    violations.push({ field: 'inventory.os', description: 'operating system must be 1–128 characters' });
  if (!/^[A-Za-z0-9_.:@-]{1,15}$/.test(inv.interface)) {
    violations.push({
      field: 'inventory.interface',
      description: `"${inv.interface}" is not a network interface name (1–15 characters)`,
    });
  }
  if (inv.ips.length === 0)
    violations.push({ field: 'inventory.ips', description: 'at least one IP address is needed' });
  inv.ips.forEach((ip, i) => {
    if (!isIpAddress(ip))
      violations.push({ field: `inventory.ips[${i}]`, description: `"${ip}" is not an IP address` });
  });
  if (inv.gpuModel && inv.gpuModel.length > 128)
    violations.push({ field: 'inventory.gpuModel', description: 'GPU model must be at most 128 characters' });
  if (c.source.kind === 'provider' && (!c.source.provider || !c.source.machineId)) {
    violations.push({
      field: 'source',
      description: 'a provider node needs the provider name and its machine id',
    });
  }
  if (violations.length > 0 || !arch) throw new ValidationError(violations);

  if (state.status === 'present') {
    // Never replace a present node: the second join is refused, so the name cannot flap between machines.
    throw new AlreadyExistsError(
      'node',
      c.nodeName,
      `node "${c.nodeName}" already exists in cluster ${c.clusterId}`,
    );
  }

  const inventory: NodeInventory = {
    arch,
    os: inv.os.trim(),
    interface: inv.interface,
    ips: [...inv.ips],
    gpuModel: inv.gpuModel?.trim() || null,
  };
  const systemLabels: Record<string, string> = {
    'kubernetes.io/arch': KUBERNETES_ARCH[arch],
    'kubernetes.io/os': 'linux',
  };
  // The hostname label is a label value (≤63); longer node names simply do not get one.
  if (labelValueProblems(c.nodeName).length === 0) systemLabels['kubernetes.io/hostname'] = c.nodeName;

  const events: NodeEvent[] = [
    nodeEvent('NodeJoined', {
      clusterId: c.clusterId,
      nodeName: c.nodeName,
      source: c.source,
      tokenId: c.tokenId,
      inventory,
      systemLabels,
      joinedAt: c.now,
    }),
  ];
  if (c.admission.overCapacity) {
    events.push(
      cordoned(
        c,
        'tier-capacity',
        `cluster tier ${c.admission.tier} allows ${c.admission.nodeCap} nodes; the node recovers when the tier is raised`,
      ),
    );
  }
  return events;
}

export function issueNodeCredential(c: IssueNodeCredential, node: PresentNode): NodeEvent[] {
  if (node.credential?.fingerprint === c.credential.fingerprint) return [];
  return [
    nodeEvent('NodeCredentialIssued', {
      clusterId: c.clusterId,
      nodeName: c.nodeName,
      ...c.credential,
      replacesSerial: node.credential?.serial ?? null,
      issuedAt: c.now,
    }),
  ];
}

export function cordonNode(c: CordonNode, node: PresentNode): NodeEvent[] {
  const reason = (c.reason ?? '').trim() || 'cordoned by operator';
  const problems = freeTextProblems(reason);
  if (problems.length > 0)
    throw new ValidationError(problems.map((description) => ({ field: 'reason', description })));
  if (node.cordons.operator) return [];
  return [cordoned(c, 'operator', reason)];
}

export function uncordonNode(c: UncordonNode, node: PresentNode): NodeEvent[] {
  if (node.cordons.operator) return [uncordoned(c, 'operator', node)];
  const capacity = node.cordons['tier-capacity'];
  if (capacity) {
    throw new IllegalStateError(`node ${c.nodeName} stays cordoned: ${capacity.reason}`);
  }
  return [];
}

export function drainNode(c: DrainNode, node: PresentNode): NodeEvent[] {
  const grace = c.gracePeriodSeconds ?? 30;
  if (!Number.isInteger(grace) || grace < 0 || grace > 3600) {
    throw ValidationError.field('gracePeriodSeconds', `grace period must be 0–3600 seconds, got ${grace}`);
  }
  if (!c.requestId.trim()) throw ValidationError.field('requestId', 'a drain needs a request id');
  if (node.drain) return [];
  const events: NodeEvent[] = [];
  if (!node.cordons.operator) events.push(cordoned(c, 'operator', 'drained by operator'));
  events.push(
    nodeEvent('NodeDrainRequested', {
      clusterId: c.clusterId,
      nodeName: c.nodeName,
      requestId: c.requestId,
      gracePeriodSeconds: grace,
      requestedAt: c.now,
    }),
  );
  return events;
}

export function removeNode(c: RemoveNode, node: PresentNode): NodeEvent[] {
  return [
    nodeEvent('NodeRemoved', {
      clusterId: c.clusterId,
      nodeName: c.nodeName,
      source: node.source,
      reason: c.reason ?? 'operator',
      releaseMachine:
        node.source.kind === 'provider'
          ? { provider: node.source.provider, machineId: node.source.machineId }
          : null,
      revokedCredentialSerial: node.credential?.serial ?? null,
      removedAt: c.now,
    }),
  ];
}

/** Only the tier-capacity cordon; an operator's cordon stays. */
export function liftCapacityCordon(c: LiftCapacityCordon, state: NodeState): NodeEvent[] {
  if (state.status !== 'present' || !state.cordons['tier-capacity']) return [];
  return [uncordoned(c, 'tier-capacity', state)];
}

function cordoned(
  c: { clusterId: string; nodeName: string; now: string },
  holder: CordonHolder,
  reason: string,
): NodeEvent {
  return nodeEvent('NodeCordoned', {
    clusterId: c.clusterId,
    nodeName: c.nodeName,
    holder,
    reason,
    cordonedAt: c.now,
  });
}

function uncordoned(
  c: { clusterId: string; nodeName: string; now: string },
  holder: CordonHolder,
  node: PresentNode,
): NodeEvent {
  const stillCordonedBy = CORDON_HOLDERS.filter((h) => h !== holder && h in node.cordons).sort();
  return nodeEvent('NodeUncordoned', {
    clusterId: c.clusterId,
    nodeName: c.nodeName,
    holder,
    stillCordonedBy,
    uncordonedAt: c.now,
  });
}
