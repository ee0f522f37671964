import {
  AlreadyExistsError,
  IllegalStateError,
  NotFoundError,
  ValidationError,
  type Decider,
  type FieldViolation,
} from '@edgeplane/es-kit';
import type {
  EventOf,
  NodeCordoned,
  NodeCredentialIssued,
  NodeDrainRequested,
  NodeGpuDevicePluginChanged,
  NodeJoined,
  NodeLabelsChanged,
  NodeRemoved,
  NodeSystemAnnotationsChanged,
  NodeSystemLabelsChanged,
  NodeSystemTaintsChanged,
  NodeTaintsChanged,
  NodeUncordoned,
} from '@edgeplane/contracts';
import { isIpAddress } from '../network/cidr.js';
import {
  labelValueProblems,
  nodeNameProblems,
  qualifiedNameProblems,
  taintProblems,
  type Taint,
  type TaintEffect,
} from '@edgeplane/k8s';

// ───────────────────────────── events ─────────────────────────────

export type NodeEvent =
  | EventOf<typeof NodeJoined>
  | EventOf<typeof NodeCredentialIssued>
  | EventOf<typeof NodeLabelsChanged>
  | EventOf<typeof NodeSystemLabelsChanged>
  | EventOf<typeof NodeTaintsChanged>
  | EventOf<typeof NodeSystemTaintsChanged>
  | EventOf<typeof NodeSystemAnnotationsChanged>
  | EventOf<typeof NodeCordoned>
  | EventOf<typeof NodeUncordoned>
  | EventOf<typeof NodeDrainRequested>
  | EventOf<typeof NodeGpuDevicePluginChanged>
  | EventOf<typeof NodeRemoved>;

export type Arch = 'x86_64' | 'arm64' | 'arm';
export type NodeSource = { kind: 'script' } | { kind: 'provider'; provider: string; machineId: string };
export type CordonHolder = 'operator' | 'tier-capacity';

export interface NodeInventory {
  arch: Arch;
  os: string;
  interface: string;
  ips: string[];
  gpuModel: string | null;
}

/** The well-known GPU label (F-NO-7): the addons service places nvidia-device-plugin where it is set. */
export const GPU_LABEL_KEY = 'nvidia-device-enable';
export const GPU_LABEL_VALUE = 'enable';
/** Value the nodepool service writes for NodeUnit membership (`<unit>: nodeunits.superedge.io`). */
export const UNIT_MEMBERSHIP_VALUE = 'nodeunits.superedge.io';
/** Owner name of the labels the cluster service itself sets at join. */
export const CLUSTER_LABEL_OWNER = 'cluster';
/** Taint keys reserved for node conditions decided by the platform (health-arbiter, cordon). */
const RESERVED_TAINT_PREFIXES = ['node.kubernetes.io/', 'node.cloudprovider.kubernetes.io/'];
const OWNER = /^[a-z][a-z0-9-]{0,62}$/;
/** Kubernetes caps a Node's annotations (keys + values, in bytes) at 256 KiB. */
export const ANNOTATIONS_SIZE_LIMIT_BYTES = 256 * 1024;
/** Annotation the node's Kubernetes view always carries; it is the cluster service's, no owner may set it. */
export const CLUSTER_ID_ANNOTATION = 'edgeplane.io/cluster-id';

// ───────────────────────────── commands ─────────────────────────────

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

export interface LabelNode {
  type: 'LabelNode';
  clusterId: string;
  nodeName: string;
  set?: Record<string, string>;
  remove?: string[];
  now: string;
}

export interface TaintNode {
  type: 'TaintNode';
  clusterId: string;
  nodeName: string;
  /** Add, or replace the value of, the taint with the same (key, effect). */
  set?: { key: string; value?: string; effect: string }[];
  /** Remove by key (every effect) or by (key, effect). */
  remove?: { key: string; effect?: string }[];
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

/** Labels decided elsewhere (nodepool: unit membership and group labels), applied for `owner`. */
export interface ApplySystemLabels {
  type: 'ApplySystemLabels';
  clusterId: string;
  nodeName: string;
  owner: string;
  set?: Record<string, string>;
  remove?: string[];
  now: string;
}

/**
 * Annotations decided elsewhere (nodepool: the setNode annotations of the node's units), applied
 * for `owner`. Keys are qualified names like label keys; values are free text.
 */
export interface ApplySystemAnnotations {
  type: 'ApplySystemAnnotations';
  clusterId: string;
  nodeName: string;
  owner: string;
  set?: Record<string, string>;
  remove?: string[];
  now: string;
}

/** Taints decided elsewhere (health-arbiter: node.kubernetes.io/unreachable); `taints` is the owner's full set. */
export interface ApplySystemTaints {
  type: 'ApplySystemTaints';
  clusterId: string;
  nodeName: string;
  owner: string;
  taints: { key: string; value?: string; effect: string }[];
  now: string;
}

/** Reaction to ClusterCapacityCordonsLifted: lifts only the tier-capacity cordon. */
export interface LiftCapacityCordon {
  type: 'LiftCapacityCordon';
  clusterId: string;
  nodeName: string;
  now: string;
}

export type NodeCommand =
  | JoinNode
  | IssueNodeCredential
  | LabelNode
  | TaintNode
  | CordonNode
  | UncordonNode
  | DrainNode
  | RemoveNode
  | ApplySystemLabels
  | ApplySystemTaints
  | ApplySystemAnnotations
  | LiftCapacityCordon;

// ───────────────────────────── state ─────────────────────────────

export interface PresentNode {
  status: 'present';
  clusterId: string;
  nodeName: string;
  source: NodeSource;
  tokenId: string | null;
  inventory: NodeInventory;
  joinedAt: string;
  /** Operator-owned labels. */
  labels: Record<string, string>;
  /** Labels by system owner (`cluster`, `nodepool`, …); an owner's keys are off limits to others. */
  systemLabels: Record<string, Record<string, string>>;
  /** Operator-owned taints. */
  taints: Taint[];
  /** Taints by system owner (`health-arbiter`, …). */
  systemTaints: Record<string, Taint[]>;
  /**
   * Annotations by system owner (`nodepool`, …); an owner's keys are off limits to others. Optional
   * only because read-model rows folded before annotations existed lack it: read it with
   * `annotationLayers()`.
   */
  systemAnnotations?: Record<string, Record<string, string>>;
  cordons: Partial<Record<CordonHolder, { reason: string; since: string }>>;
  drain: { requestId: string; requestedAt: string } | null;
  credential: { serial: string; fingerprint: string; notAfter: string } | null;
}

export type NodeState =
  | { status: 'absent' }
  | PresentNode
  | { status: 'removed'; clusterId: string; nodeName: string; removedAt: string };

export const initialNodeState: NodeState = { status: 'absent' };

// ───────────────────────────── decide ─────────────────────────────

function decide(command: NodeCommand, state: NodeState): NodeEvent[] {
  switch (command.type) {
    case 'JoinNode':
      return joinNode(command, state);
    case 'IssueNodeCredential': {
      const node = requirePresent(state, command);
      if (node.credential?.fingerprint === command.credential.fingerprint) return [];
      return [
        ev('NodeCredentialIssued', {
          clusterId: command.clusterId,
          nodeName: command.nodeName,
          ...command.credential,
          replacesSerial: node.credential?.serial ?? null,
          issuedAt: command.now,
        }),
      ];
    }
    case 'LabelNode':
      return labelNode(command, requirePresent(state, command));
    case 'TaintNode':
      return taintNode(command, requirePresent(state, command));
    case 'CordonNode': {
      const node = requirePresent(state, command);
      if (node.cordons.operator) return [];
      const reason = (command.reason ?? '').trim() || 'cordoned by operator';
      return [cordoned(command, 'operator', reason)];
    }
    case 'UncordonNode':
      return uncordonNode(command, requirePresent(state, command));
    case 'DrainNode':
      return drainNode(command, requirePresent(state, command));
    case 'RemoveNode': {
      if (state.status === 'removed') return [];
      const node = requirePresent(state, command);
      return [
        ev('NodeRemoved', {
          clusterId: command.clusterId,
          nodeName: command.nodeName,
          source: node.source,
          reason: command.reason ?? 'operator',
          releaseMachine:
            node.source.kind === 'provider'
              ? { provider: node.source.provider, machineId: node.source.machineId }
              : null,
          revokedCredentialSerial: node.credential?.serial ?? null,
          removedAt: command.now,
        }),
      ];
    }
    case 'ApplySystemLabels':
      // Decisions made elsewhere may arrive after the node left; there is nothing left to label.
      if (state.status === 'removed') return [];
      return applySystemLabels(command, requirePresent(state, command));
    case 'ApplySystemTaints':
      if (state.status === 'removed') return [];
      return applySystemTaints(command, requirePresent(state, command));
    case 'ApplySystemAnnotations':
      if (state.status === 'removed') return [];
      return applySystemAnnotations(command, requirePresent(state, command));
    case 'LiftCapacityCordon': {
      if (state.status !== 'present' || !state.cordons['tier-capacity']) return [];
      return [uncordoned(command, 'tier-capacity', state)];
    }
  }
}

function joinNode(c: JoinNode, state: NodeState): NodeEvent[] {
  const violations: FieldViolation[] = [];
  for (const problem of nodeNameProblems(c.nodeName))
    violations.push({ field: 'nodeName', description: problem });
  const inv = c.inventory;
  if (!['x86_64', 'arm64', 'arm'].includes(inv.arch)) {
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
  if (violations.length > 0) throw new ValidationError(violations);

  if (state.status === 'present') {
    // Never replace a present node: the second join is refused, so the name cannot flap between machines.
    throw new AlreadyExistsError(
      'node',
      c.nodeName,
      `node "${c.nodeName}" already exists in cluster ${c.clusterId}`,
    );
  }

  const inventory: NodeInventory = {
    arch: inv.arch as Arch,
    os: inv.os.trim(),
    interface: inv.interface,
    ips: [...inv.ips],
    gpuModel: inv.gpuModel?.trim() || null,
  };
  const systemLabels: Record<string, string> = {
    'kubernetes.io/arch': { x86_64: 'amd64', arm64: 'arm64', arm: 'arm' }[inventory.arch],
    'kubernetes.io/os': 'linux',
  };
  // The hostname label is a label value (≤63); longer node names simply do not get one.
  if (labelValueProblems(c.nodeName).length === 0) systemLabels['kubernetes.io/hostname'] = c.nodeName;

  const events: NodeEvent[] = [
    ev('NodeJoined', {
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

function labelNode(c: LabelNode, node: PresentNode): NodeEvent[] {
  const set = c.set ?? {};
  const remove = c.remove ?? [];
  if (Object.keys(set).length === 0 && remove.length === 0)
    throw ValidationError.field('set', 'give labels to set and/or keys to remove');
  const violations = labelViolations(set, remove);
  const owners = systemKeyOwners(node);
  for (const [key, value] of Object.entries(set)) {
    const owner = owners.get(key);
    if (owner) violations.push({ field: `set.${key}`, description: ownedLabel(key, owner) });
    else if (value === UNIT_MEMBERSHIP_VALUE) {
      violations.push({
        field: `set.${key}`,
        description: `value ${UNIT_MEMBERSHIP_VALUE} marks NodeUnit membership, which only the nodepool service sets`,
      });
    }
  }
  for (const key of remove) {
    const owner = owners.get(key);
    if (owner) violations.push({ field: `remove.${key}`, description: ownedLabel(key, owner) });
  }
  if (violations.length > 0) throw new ValidationError(violations);

  const changedSet = Object.fromEntries(Object.entries(set).filter(([k, v]) => node.labels[k] !== v));
  const removed = [...new Set(remove)].filter((k) => k in node.labels);
  if (Object.keys(changedSet).length === 0 && removed.length === 0) return [];
  const change = ev('NodeLabelsChanged', {
    clusterId: c.clusterId,
    nodeName: c.nodeName,
    set: changedSet,
    removed,
    changedAt: c.now,
  });
  return [change, ...gpuFlip(node, change, c.now)];
}

function applySystemLabels(c: ApplySystemLabels, node: PresentNode): NodeEvent[] {
  if (!OWNER.test(c.owner) || c.owner === 'operator') {
    throw ValidationError.field('owner', `"${c.owner}" is not a valid system owner name`);
  }
  const set = c.set ?? {};
  const remove = c.remove ?? [];
  const violations = labelViolations(set, remove);
  const owners = systemKeyOwners(node);
  for (const key of [...Object.keys(set), ...remove]) {
    const owner = owners.get(key);
    if (owner && owner !== c.owner)
      violations.push({ field: `set.${key}`, description: ownedLabel(key, owner) });
  }
  if (violations.length > 0) throw new ValidationError(violations);
  const mine = node.systemLabels[c.owner] ?? {};
  const changedSet = Object.fromEntries(Object.entries(set).filter(([k, v]) => mine[k] !== v));
  const removed = [...new Set(remove)].filter((k) => k in mine);
  if (Object.keys(changedSet).length === 0 && removed.length === 0) return [];
  const change = ev('NodeSystemLabelsChanged', {
    clusterId: c.clusterId,
    nodeName: c.nodeName,
    owner: c.owner,
    set: changedSet,
    removed,
    changedAt: c.now,
  });
  return [change, ...gpuFlip(node, change, c.now)];
}

function taintNode(c: TaintNode, node: PresentNode): NodeEvent[] {
  const set = c.set ?? [];
  const remove = c.remove ?? [];
  if (set.length === 0 && remove.length === 0)
    throw ValidationError.field('set', 'give taints to set and/or remove');
  const violations: FieldViolation[] = [];
  const systemOwned = new Map<string, string>();
  for (const [owner, taints] of Object.entries(node.systemTaints))
    for (const t of taints) systemOwned.set(t.key, owner);
  set.forEach((t, i) => {
    for (const p of taintProblems(t))
      violations.push({ field: `set[${i}]`, description: `taint ${t.key}: ${p}` });
    violations.push(...reservedTaint(t.key, `set[${i}]`, systemOwned));
  });
  remove.forEach((t, i) => {
    for (const p of qualifiedNameProblems(t.key))
      violations.push({ field: `remove[${i}].key`, description: p });
    if (t.effect !== undefined && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect)) {
      violations.push({ field: `remove[${i}].effect`, description: `unknown effect "${t.effect}"` });
    }
    violations.push(...reservedTaint(t.key, `remove[${i}]`, systemOwned));
  });
  if (violations.length > 0) throw new ValidationError(violations);

  let taints = [...node.taints];
  const removed: Taint[] = [];
  for (const r of remove) {
    const gone = taints.filter((t) => t.key === r.key && (r.effect === undefined || t.effect === r.effect));
    removed.push(...gone);
    taints = taints.filter((t) => !gone.includes(t));
  }
  const added: Taint[] = [];
  for (const s of set) {
    const taint: Taint = { key: s.key, value: s.value ?? '', effect: s.effect as TaintEffect };
    const existing = taints.find((t) => t.key === taint.key && t.effect === taint.effect);
    if (existing && existing.value === taint.value) continue;
    taints = taints.filter((t) => t !== existing);
    taints.push(taint);
    added.push(taint);
  }
  // A taint removed and set again unchanged is no change.
  const netRemoved = removed.filter((r) => !taints.some((t) => sameTaint(t, r)));
  const netAdded = added.filter((a) => !node.taints.some((t) => sameTaint(t, a)));
  if (netAdded.length === 0 && netRemoved.length === 0) return [];
  return [
    ev('NodeTaintsChanged', {
      clusterId: c.clusterId,
      nodeName: c.nodeName,
      added: netAdded,
      removed: netRemoved,
      taints,
      changedAt: c.now,
    }),
  ];
}

function applySystemTaints(c: ApplySystemTaints, node: PresentNode): NodeEvent[] {
  if (!OWNER.test(c.owner) || c.owner === 'operator') {
    throw ValidationError.field('owner', `"${c.owner}" is not a valid system owner name`);
  }
  const violations: FieldViolation[] = [];
  c.taints.forEach((t, i) => {
    for (const p of taintProblems(t))
      violations.push({ field: `taints[${i}]`, description: `taint ${t.key}: ${p}` });
  });
  if (violations.length > 0) throw new ValidationError(violations);
  const taints: Taint[] = dedupeTaints(
    c.taints.map((t) => ({ key: t.key, value: t.value ?? '', effect: t.effect as TaintEffect })),
  );
  const current = node.systemTaints[c.owner] ?? [];
  if (taints.length === current.length && taints.every((t) => current.some((x) => sameTaint(x, t))))
    return [];
  return [
    ev('NodeSystemTaintsChanged', {
      clusterId: c.clusterId,
      nodeName: c.nodeName,
      owner: c.owner,
      taints,
      changedAt: c.now,
    }),
  ];
}

function applySystemAnnotations(c: ApplySystemAnnotations, node: PresentNode): NodeEvent[] {
  if (!OWNER.test(c.owner) || c.owner === 'operator') {
    throw ValidationError.field('owner', `"${c.owner}" is not a valid system owner name`);
  }
  const set = c.set ?? {};
  const remove = c.remove ?? [];
  const violations: FieldViolation[] = [];
  for (const key of Object.keys(set)) {
    for (const p of qualifiedNameProblems(key))
      violations.push({ field: `set.${key}`, description: `annotation key ${p}` });
    if (remove.includes(key))
      violations.push({ field: `remove.${key}`, description: `annotation ${key} is both set and removed` });
  }
  for (const key of remove) {
    for (const p of qualifiedNameProblems(key))
      violations.push({ field: `remove.${key}`, description: `annotation key ${p}` });
  }
  const owners = annotationKeyOwners(node);
  for (const [field, key] of [
    ...Object.keys(set).map((k) => [`set.${k}`, k] as const),
    ...remove.map((k) => [`remove.${k}`, k] as const),
  ]) {
    const owner = key === CLUSTER_ID_ANNOTATION ? CLUSTER_LABEL_OWNER : owners.get(key);
    if (owner && owner !== c.owner) {
      violations.push({
        field,
        description: `annotation ${key} is managed by the ${owner} service and cannot be changed here`,
      });
    }
  }
  if (violations.length > 0) throw new ValidationError(violations);

  const mine = annotationLayers(node)[c.owner] ?? {};
  const changedSet = Object.fromEntries(Object.entries(set).filter(([k, v]) => mine[k] !== v));
  const removed = [...new Set(remove)].filter((k) => k in mine);
  if (Object.keys(changedSet).length === 0 && removed.length === 0) return [];
  const change = ev('NodeSystemAnnotationsChanged', {
    clusterId: c.clusterId,
    nodeName: c.nodeName,
    owner: c.owner,
    set: changedSet,
    removed,
    changedAt: c.now,
  });
  const after = evolveNode(node, change) as PresentNode;
  const size = annotationsSize({ ...effectiveAnnotations(after), [CLUSTER_ID_ANNOTATION]: node.clusterId });
  if (size > ANNOTATIONS_SIZE_LIMIT_BYTES) {
    throw ValidationError.field(
      'set',
      `annotations would total ${size} bytes; a node's annotations (keys and values) may total at most ${ANNOTATIONS_SIZE_LIMIT_BYTES} bytes (256 KiB)`,
    );
  }
  return [change];
}

function uncordonNode(c: UncordonNode, node: PresentNode): NodeEvent[] {
  if (node.cordons.operator) return [uncordoned(c, 'operator', node)];
  const capacity = node.cordons['tier-capacity'];
  if (capacity) {
    throw new IllegalStateError(`node ${c.nodeName} stays cordoned: ${capacity.reason}`);
  }
  return [];
}

function drainNode(c: DrainNode, node: PresentNode): NodeEvent[] {
  const grace = c.gracePeriodSeconds ?? 30;
  if (!Number.isInteger(grace) || grace < 0 || grace > 3600) {
    throw ValidationError.field('gracePeriodSeconds', `grace period must be 0–3600 seconds, got ${grace}`);
  }
  if (!c.requestId.trim()) throw ValidationError.field('requestId', 'a drain needs a request id');
  if (node.drain) return [];
  const events: NodeEvent[] = [];
  if (!node.cordons.operator) events.push(cordoned(c, 'operator', 'drained by operator'));
  events.push(
    ev('NodeDrainRequested', {
      clusterId: c.clusterId,
      nodeName: c.nodeName,
      requestId: c.requestId,
      gracePeriodSeconds: grace,
      requestedAt: c.now,
    }),
  );
  return events;
}

// ───────────────────────────── evolve ─────────────────────────────

export function evolveNode(state: NodeState, event: NodeEvent): NodeState {
  if (event.type === 'NodeJoined') {
    const d = event.data;
    return {
      status: 'present',
      clusterId: d.clusterId,
      nodeName: d.nodeName,
      source: d.source,
      tokenId: d.tokenId,
      inventory: d.inventory,
      joinedAt: d.joinedAt,
      labels: {},
      systemLabels: { [CLUSTER_LABEL_OWNER]: d.systemLabels },
      taints: [],
      systemTaints: {},
      systemAnnotations: {},
      cordons: {},
      drain: null,
      credential: null,
    };
  }
  if (state.status !== 'present') return state;
  switch (event.type) {
    case 'NodeCredentialIssued':
      return {
        ...state,
        credential: {
          serial: event.data.serial,
          fingerprint: event.data.fingerprint,
          notAfter: event.data.notAfter,
        },
      };
    case 'NodeLabelsChanged': {
      const labels = { ...state.labels, ...event.data.set };
      for (const key of event.data.removed) delete labels[key];
      return { ...state, labels };
    }
    case 'NodeSystemLabelsChanged': {
      const mine = { ...(state.systemLabels[event.data.owner] ?? {}), ...event.data.set };
      for (const key of event.data.removed) delete mine[key];
      const systemLabels = { ...state.systemLabels, [event.data.owner]: mine };
      if (Object.keys(mine).length === 0) delete systemLabels[event.data.owner];
      return { ...state, systemLabels };
    }
    case 'NodeTaintsChanged':
      return { ...state, taints: event.data.taints };
    case 'NodeSystemTaintsChanged': {
      const systemTaints = { ...state.systemTaints, [event.data.owner]: event.data.taints };
      if (event.data.taints.length === 0) delete systemTaints[event.data.owner];
      return { ...state, systemTaints };
    }
    case 'NodeSystemAnnotationsChanged': {
      const layers = annotationLayers(state);
      const mine = { ...(layers[event.data.owner] ?? {}), ...event.data.set };
      for (const key of event.data.removed) delete mine[key];
      const systemAnnotations = { ...layers, [event.data.owner]: mine };
      if (Object.keys(mine).length === 0) delete systemAnnotations[event.data.owner];
      return { ...state, systemAnnotations };
    }
    case 'NodeCordoned':
      return {
        ...state,
        cordons: {
          ...state.cordons,
          [event.data.holder]: { reason: event.data.reason, since: event.data.cordonedAt },
        },
      };
    case 'NodeUncordoned': {
      const cordons = { ...state.cordons };
      delete cordons[event.data.holder];
      // An operator uncordon ends the pending drain with it, as kubectl uncordon does.
      return { ...state, cordons, drain: event.data.holder === 'operator' ? null : state.drain };
    }
    case 'NodeDrainRequested':
      return { ...state, drain: { requestId: event.data.requestId, requestedAt: event.data.requestedAt } };
    case 'NodeGpuDevicePluginChanged':
      return state;
    case 'NodeRemoved':
      return {
        status: 'removed',
        clusterId: event.data.clusterId,
        nodeName: event.data.nodeName,
        removedAt: event.data.removedAt,
      };
    default:
      return state;
  }
}

export const nodeDecider: Decider<NodeState, NodeCommand, NodeEvent> = {
  decide,
  evolve: evolveNode,
  initialState: initialNodeState,
};

// ───────────────────────────── views for the service layer ─────────────────────────────

/** Stream id of a node: one stream per (cluster, name), so a duplicate join finds the existing stream. */
export function nodeStreamId(clusterId: string, nodeName: string): string {
  return `node-${clusterId}-${nodeName}`;
}

/** Operator labels merged with every system owner's labels (system owners win on a shared key). */
export function effectiveLabels(node: PresentNode): Record<string, string> {
  const merged = { ...node.labels };
  for (const owned of Object.values(node.systemLabels)) Object.assign(merged, owned);
  return merged;
}

/** Annotations by system owner (empty for nodes folded before annotation layers existed). */
export function annotationLayers(node: PresentNode): Record<string, Record<string, string>> {
  return node.systemAnnotations ?? {};
}

/** Every system owner's annotations merged (each key has one owner, so the order does not matter). */
export function effectiveAnnotations(node: PresentNode): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const owned of Object.values(annotationLayers(node))) Object.assign(merged, owned);
  return merged;
}

/** Size of annotations the way Kubernetes counts it: bytes of every key and value. */
export function annotationsSize(annotations: Record<string, string>): number {
  const encoder = new TextEncoder();
  let size = 0;
  for (const [key, value] of Object.entries(annotations))
    size += encoder.encode(key).length + encoder.encode(value).length;
  return size;
}

/**
 * Operator and system taints, plus `node.kubernetes.io/unschedulable:NoSchedule` while any holder
 * keeps the node cordoned — the same way Kubernetes shows `spec.unschedulable`.
 */
export function effectiveTaints(node: PresentNode): Taint[] {
  const all = [...node.taints, ...Object.values(node.systemTaints).flat()];
  if (!isSchedulable(node))
    all.push({ key: 'node.kubernetes.io/unschedulable', value: '', effect: 'NoSchedule' });
  return dedupeTaints(all);
}

export function isSchedulable(node: PresentNode): boolean {
  return Object.keys(node.cordons).length === 0;
}

/** True when the presented node certificate (by fingerprint) is this present node's active credential. */
export function verifyNodeCredential(state: NodeState, fingerprint: string): boolean {
  return (
    state.status === 'present' &&
    state.credential !== null &&
    state.credential.fingerprint === fingerprint.toLowerCase()
  );
}

export function hasGpuPluginLabel(labels: Record<string, string>): boolean {
  return labels[GPU_LABEL_KEY] === GPU_LABEL_VALUE;
}

// ───────────────────────────── helpers ─────────────────────────────

function ev<T extends NodeEvent['type']>(
  type: T,
  data: Extract<NodeEvent, { type: T }>['data'],
): Extract<NodeEvent, { type: T }> {
  return { type, data } as Extract<NodeEvent, { type: T }>;
}

function requirePresent(state: NodeState, c: { clusterId: string; nodeName: string }): PresentNode {
  if (state.status !== 'present') throw new NotFoundError('node', `${c.clusterId}/${c.nodeName}`);
  return state;
}

function cordoned(
  c: { clusterId: string; nodeName: string; now: string },
  holder: CordonHolder,
  reason: string,
): NodeEvent {
  return ev('NodeCordoned', {
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
  const stillCordonedBy = (Object.keys(node.cordons) as CordonHolder[]).filter((h) => h !== holder).sort();
  return ev('NodeUncordoned', {
    clusterId: c.clusterId,
    nodeName: c.nodeName,
    holder,
    stillCordonedBy,
    uncordonedAt: c.now,
  });
}

function labelViolations(set: Record<string, string>, remove: string[]): FieldViolation[] {
  const violations: FieldViolation[] = [];
  for (const [key, value] of Object.entries(set)) {
    for (const p of qualifiedNameProblems(key))
      violations.push({ field: `set.${key}`, description: `label key ${p}` });
    for (const p of labelValueProblems(value))
      violations.push({ field: `set.${key}`, description: `label ${key}: ${p}` });
    if (remove.includes(key))
      violations.push({ field: `remove.${key}`, description: `label ${key} is both set and removed` });
  }
  for (const key of remove) {
    for (const p of qualifiedNameProblems(key))
      violations.push({ field: `remove.${key}`, description: `label key ${p}` });
  }
  return violations;
}

/** Label key → system owner holding it. */
function systemKeyOwners(node: PresentNode): Map<string, string> {
  const owners = new Map<string, string>();
  for (const [owner, labels] of Object.entries(node.systemLabels))
    for (const key of Object.keys(labels)) owners.set(key, owner);
  return owners;
}

/** Annotation key → system owner holding it. */
function annotationKeyOwners(node: PresentNode): Map<string, string> {
  const owners = new Map<string, string>();
  for (const [owner, annotations] of Object.entries(annotationLayers(node)))
    for (const key of Object.keys(annotations)) owners.set(key, owner);
  return owners;
}

function ownedLabel(key: string, owner: string): string {
  return `label ${key} is managed by the ${owner} service and cannot be changed here`;
}

function reservedTaint(key: string, field: string, systemOwned: Map<string, string>): FieldViolation[] {
  const owner = systemOwned.get(key);
  if (owner)
    return [
      { field, description: `taint ${key} is managed by the ${owner} service and cannot be changed here` },
    ];
  const prefix = RESERVED_TAINT_PREFIXES.find((p) => key.startsWith(p));
  if (prefix)
    return [
      {
        field,
        description: `taint keys under ${prefix} are reserved for node conditions the platform decides`,
      },
    ];
  return [];
}

function sameTaint(a: Taint, b: Taint): boolean {
  return a.key === b.key && a.effect === b.effect && a.value === b.value;
}

function dedupeTaints(taints: Taint[]): Taint[] {
  const seen = new Map<string, Taint>();
  for (const t of taints) seen.set(`${t.key}:${t.effect}`, t);
  return [...seen.values()];
}

/** NodeGpuDevicePluginChanged when a label change flips the effective GPU label. */
function gpuFlip(node: PresentNode, change: NodeEvent, now: string): NodeEvent[] {
  const before = hasGpuPluginLabel(effectiveLabels(node));
  const after = evolveNode(node, change);
  if (after.status !== 'present') return [];
  const enabled = hasGpuPluginLabel(effectiveLabels(after));
  if (enabled === before) return [];
  return [
    ev('NodeGpuDevicePluginChanged', {
      clusterId: node.clusterId,
      nodeName: node.nodeName,
      enabled,
      gpuModel: node.inventory.gpuModel,
      changedAt: now,
    }),
  ];
}
