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
  KinsClusterFailed,
  KinsDemotionRequested,
  KinsNodeJoinRequested,
  KinsNodeLeaveRequested,
  KinsPromotionRequested,
  KinsPublicAccessDisabled,
  KinsPublicAccessEnabled,
  NodeUnitCreated,
  NodeUnitDeleted,
  NodeUnitDemotedFromK3s,
  NodeUnitMembersChanged,
  NodeUnitUpdated,
  NodeUnitUpgradedToK3s,
} from '@edgeplane/contracts';
import { dns1123LabelProblem, jsonEqual, sortedUnique } from '../shared/k8s-names.js';
import {
  computeMembership,
  withUnit,
  type MembershipWorld,
  type UnitDef,
} from '../membership/membership.engine.js';
import { newGroupConflicts } from '../membership/exclusivity.js';
import {
  allocateRanges,
  assertKinsHost,
  assignRoles,
  BCRYPT_HASH,
  kubeconfigRefs,
  type HostCluster,
  type KinsMode,
  type PortRange,
  type TakenKinsRanges,
} from '../kins/kins.rules.js';
import { NO_KINS, type ActiveKins, type KinsState } from '../kins/kins.state.js';
import {
  DEFAULT_UNIT_NAME,
  normalizeUnitSpec,
  type NodeUnitSpec,
  type NodeUnitSpecInput,
} from './node-unit.spec.js';

export type NodeUnitEvent =
  | EventOf<typeof NodeUnitCreated>
  | EventOf<typeof NodeUnitUpdated>
  | EventOf<typeof NodeUnitDeleted>
  | EventOf<typeof NodeUnitMembersChanged>
  | EventOf<typeof KinsPromotionRequested>
  | EventOf<typeof NodeUnitUpgradedToK3s>
  | EventOf<typeof KinsClusterFailed>
  | EventOf<typeof KinsNodeJoinRequested>
  | EventOf<typeof KinsNodeLeaveRequested>
  | EventOf<typeof KinsPublicAccessEnabled>
  | EventOf<typeof KinsPublicAccessDisabled>
  | EventOf<typeof KinsDemotionRequested>
  | EventOf<typeof NodeUnitDemotedFromK3s>;

export type NodeUnitState =
  | { status: 'absent' }
  | {
      status: 'active';
      clusterId: string;
      name: string;
      spec: NodeUnitSpec;
      isDefault: boolean;
      managedBy?: string;
      /** Resolved members, as last published by NodeUnitMembersChanged. */
      members: string[];
      kins: KinsState;
      /** Last Kins promotion generation (0 = never promoted); survives delete/re-create. */
      generation: number;
      createdAt: string;
    }
  | { status: 'deleted'; clusterId: string; name: string; generation: number };

type ActiveUnit = Extract<NodeUnitState, { status: 'active' }>;

interface Addressed {
  clusterId: string;
  name: string;
  now: string;
}

export type NodeUnitCommand =
  /** Sent when a cluster is created (consumer of ClusterCreated). */
  | { type: 'EnsureDefaultNodeUnit'; clusterId: string; now: string }
  | (Addressed & {
      type: 'CreateNodeUnit';
      spec: NodeUnitSpecInput;
      /** Set only by the autoFindNodeKeys reconciler: the group that owns this unit. */
      managedBy?: string;
      /** The cluster's nodes, units and groups as the projection sees them now. */
      world: MembershipWorld;
    })
  | (Addressed & {
      type: 'UpdateNodeUnit';
      spec: NodeUnitSpecInput;
      managedBy?: string;
      world: MembershipWorld;
    })
  | (Addressed & { type: 'DeleteNodeUnit'; managedBy?: string })
  /** From the membership reconciler: the unit's members computed by the engine. */
  | (Addressed & { type: 'ResolveNodeUnitMembers'; members: string[] })
  | (Addressed & {
      type: 'PromoteNodeUnit';
      mode: KinsMode;
      host: HostCluster;
      /** Ranges held by the cluster's other K3s units. */
      taken: TakenKinsRanges[];
      serviceCidr?: string;
      nodePortRange?: PortRange;
      servers?: string[];
    })
  /** From the unit's agents (through the tunnel). */
  | (Addressed & {
      type: 'ReportKinsStatus';
      generation: number;
      phase: 'running' | 'failed' | 'uninstalled';
      message?: string;
      apiServerEndpoint?: string;
      k3sVersion?: string;
    })
  /** `passwordHash` is bcrypt, computed by hashProxyPassword() before the decider runs. */
  | (Addressed & { type: 'EnableKinsPublicAccess'; passwordHash: string })
  | (Addressed & { type: 'DisableKinsPublicAccess' })
  | (Addressed & { type: 'DemoteNodeUnit' });

export const nodeUnitStreamId = (clusterId: string, name: string) => `nodeunit:${clusterId}:${name}`;

export const nodeUnitDecider: Decider<NodeUnitState, NodeUnitCommand, NodeUnitEvent> = {
  initialState: { status: 'absent' },
  decide,
  evolve,
};

function decide(command: NodeUnitCommand, state: NodeUnitState): NodeUnitEvent[] {
  switch (command.type) {
    case 'EnsureDefaultNodeUnit':
      if (state.status === 'active') return [];
      return [
        {
          type: 'NodeUnitCreated',
          data: {
            clusterId: command.clusterId,
            name: DEFAULT_UNIT_NAME,
            type: 'other',
            nodes: [],
            allNodes: true,
            setNode: { labels: {}, annotations: {}, taints: [] },
            labels: {},
            default: true,
            at: command.now,
          },
        },
      ];
    case 'CreateNodeUnit':
      return create(command, state);
    case 'UpdateNodeUnit':
      return update(command, active(state, command.name));
    case 'DeleteNodeUnit':
      return remove(command, state);
    case 'ResolveNodeUnitMembers':
      if (state.status === 'deleted') return [];
      return resolveMembers(command, active(state, command.name));
    case 'PromoteNodeUnit':
      return promote(command, active(state, command.name));
    case 'ReportKinsStatus':
      return report(command, active(state, command.name));
    case 'EnableKinsPublicAccess':
      return enablePublicAccess(command, active(state, command.name));
    case 'DisableKinsPublicAccess': {
      const unit = active(state, command.name);
      if (unit.kins.phase === 'none' || !unit.kins.publicAccess) return [];
      return [
        {
          type: 'KinsPublicAccessDisabled',
          data: { ...ids(unit), generation: unit.kins.generation, at: command.now },
        },
      ];
    }
    case 'DemoteNodeUnit': {
      const unit = active(state, command.name);
      if (unit.kins.phase === 'none' || unit.kins.phase === 'demoting') return [];
      return [
        {
          type: 'KinsDemotionRequested',
          data: {
            ...ids(unit),
            generation: unit.kins.generation,
            nodes: unit.kins.nodes.map((n) => ({ ...n })),
            at: command.now,
          },
        },
      ];
    }
  }
}

function active(state: NodeUnitState, name: string): ActiveUnit {
  if (state.status !== 'active') throw new NotFoundError('NodeUnit', name);
  return state;
}

function ids(unit: ActiveUnit) {
  return { clusterId: unit.clusterId, unit: unit.name };
}

function create(
  command: Extract<NodeUnitCommand, { type: 'CreateNodeUnit' }>,
  state: NodeUnitState,
): NodeUnitEvent[] {
  if (state.status === 'active') throw new AlreadyExistsError('NodeUnit', command.name);
  const violations: FieldViolation[] = [];
  if (command.name === DEFAULT_UNIT_NAME) {
    violations.push({
      field: 'name',
      description: `"${DEFAULT_UNIT_NAME}" is the default unit, created with the cluster`,
    });
  } else {
    const p = dns1123LabelProblem(command.name);
    if (p) violations.push({ field: 'name', description: `unit name ${p}` });
  }
  const spec = normalizeUnitSpec(command.name, command.spec, violations);
  checkAgainstWorld(command.name, spec, command.world, violations);
  if (violations.length > 0) throw new ValidationError(violations);
  const full: NodeUnitSpec = { ...spec, allNodes: false };
  const conflicts = newGroupConflicts(
    command.world,
    withUnit(command.world, unitDef(command.name, full, command.managedBy)),
  );
  if (conflicts.length > 0) throw new ValidationError(conflicts);
  return [
    {
      type: 'NodeUnitCreated',
      data: {
        clusterId: command.clusterId,
        name: command.name,
        ...full,
        default: false,
        ...(command.managedBy ? { managedBy: command.managedBy } : {}),
        at: command.now,
      },
    },
  ];
}

function update(
  command: Extract<NodeUnitCommand, { type: 'UpdateNodeUnit' }>,
  unit: ActiveUnit,
): NodeUnitEvent[] {
  assertManagedBy(unit, command.managedBy, 'updated');
  const violations: FieldViolation[] = [];
  const spec = normalizeUnitSpec(unit.name, command.spec, violations);
  if (unit.isDefault && (spec.nodes.length > 0 || spec.selector)) {
    violations.push({
      field: spec.nodes.length > 0 ? 'spec.nodes' : 'spec.selector',
      description: `the default unit "${DEFAULT_UNIT_NAME}" holds every node; its membership cannot be changed`,
    });
  }
  if (violations.length > 0) throw new ValidationError(violations);
  const full: NodeUnitSpec = { ...spec, allNodes: unit.spec.allNodes };
  if (jsonEqual(full, unit.spec)) return [];
  checkAgainstWorld(unit.name, spec, command.world, violations);
  if (violations.length > 0) throw new ValidationError(violations);

  const before = withUnit(command.world, unitDef(unit.name, unit.spec, unit.managedBy));
  const after = withUnit(command.world, unitDef(unit.name, full, unit.managedBy));
  if (unit.kins.phase !== 'none') {
    const membersAfter = new Set(computeMembership(after).unitMembers.get(unit.name) ?? []);
    const lost = unit.kins.nodes
      .filter((n) => n.role === 'server' && !membersAfter.has(n.name))
      .map((n) => n.name);
    if (lost.length > 0) {
      throw new IllegalStateError(
        `node${lost.length > 1 ? 's' : ''} ${lost.map((n) => `"${n}"`).join(', ')} ${lost.length > 1 ? 'are K3s servers' : 'is a K3s server'} of unit "${unit.name}" (phase ${unit.kins.phase}); demote the unit before removing ${lost.length > 1 ? 'them' : 'it'}`,
      );
    }
  }
  const conflicts = newGroupConflicts(before, after);
  if (conflicts.length > 0) throw new ValidationError(conflicts);
  return [
    {
      type: 'NodeUnitUpdated',
      data: { clusterId: unit.clusterId, name: unit.name, ...full, at: command.now },
    },
  ];
}

/** Names shared by units, groups and setNode keys would write clashing labels on nodes. */
function checkAgainstWorld(
  name: string,
  spec: Omit<NodeUnitSpec, 'allNodes'>,
  world: MembershipWorld,
  violations: FieldViolation[],
) {
  const groups = new Set(world.groups.map((g) => g.name));
  const otherUnits = new Set(world.units.filter((u) => u.name !== name).map((u) => u.name));
  if (groups.has(name)) {
    violations.push({
      field: 'name',
      description: `unit name "${name}" is already the name of NodeGroup "${name}"; both are label keys on nodes`,
    });
  }
  for (const key of Object.keys(spec.setNode.labels)) {
    if (groups.has(key)) {
      violations.push({
        field: `spec.setNode.labels.${key}`,
        description: `label "${key}" is written by NodeGroup "${key}" (${key}=<unit>)`,
      });
    } else if (otherUnits.has(key)) {
      violations.push({
        field: `spec.setNode.labels.${key}`,
        description: `label "${key}" is the membership label of NodeUnit "${key}"`,
      });
    }
  }
}

function unitDef(name: string, spec: NodeUnitSpec, managedBy?: string): UnitDef {
  return { name, spec, ...(managedBy ? { managedBy } : {}) };
}

function assertManagedBy(unit: ActiveUnit, managedBy: string | undefined, verb: string): void {
  if (unit.managedBy && unit.managedBy !== managedBy) {
    throw new IllegalStateError(
      `unit "${unit.name}" is created by NodeGroup "${unit.managedBy}" (autoFindNodeKeys) and cannot be ${verb} by hand; change the group instead`,
    );
  }
}

function remove(
  command: Extract<NodeUnitCommand, { type: 'DeleteNodeUnit' }>,
  state: NodeUnitState,
): NodeUnitEvent[] {
  if (state.status === 'deleted') return [];
  const unit = active(state, command.name);
  if (unit.isDefault)
    throw new IllegalStateError(`the default unit "${DEFAULT_UNIT_NAME}" cannot be deleted`);
  assertManagedBy(unit, command.managedBy, 'deleted');
  if (unit.kins.phase !== 'none') {
    throw new IllegalStateError(
      `unit "${unit.name}" is a K3s (Kins) unit in phase ${unit.kins.phase}; demote first`,
    );
  }
  return [{ type: 'NodeUnitDeleted', data: { clusterId: unit.clusterId, name: unit.name, at: command.now } }];
}

function resolveMembers(
  command: Extract<NodeUnitCommand, { type: 'ResolveNodeUnitMembers' }>,
  unit: ActiveUnit,
): NodeUnitEvent[] {
  const members = sortedUnique(command.members);
  const previous = new Set(unit.members);
  const next = new Set(members);
  const added = members.filter((m) => !previous.has(m));
  const removed = unit.members.filter((m) => !next.has(m));
  if (added.length === 0 && removed.length === 0) return [];
  const events: NodeUnitEvent[] = [
    {
      type: 'NodeUnitMembersChanged',
      data: { clusterId: unit.clusterId, name: unit.name, members, added, removed, at: command.now },
    },
  ];
  const kins = unit.kins;
  if (kins.phase === 'promoting' || kins.phase === 'independent' || kins.phase === 'failed') {
    const inK3s = new Map(kins.nodes.map((n) => [n.name, n.role]));
    for (const node of added) {
      if (inK3s.has(node)) continue;
      events.push({
        type: 'KinsNodeJoinRequested',
        data: { ...ids(unit), generation: kins.generation, node, role: 'agent', at: command.now },
      });
    }
    for (const node of removed) {
      const role = inK3s.get(node);
      if (!role) continue;
      events.push({
        type: 'KinsNodeLeaveRequested',
        data: { ...ids(unit), generation: kins.generation, node, role, at: command.now },
      });
    }
  }
  return events;
}

function promote(
  command: Extract<NodeUnitCommand, { type: 'PromoteNodeUnit' }>,
  unit: ActiveUnit,
): NodeUnitEvent[] {
  const kins = unit.kins;
  if (kins.phase === 'promoting' || kins.phase === 'independent') {
    if (kins.mode === command.mode) return [];
    throw new IllegalStateError(
      `unit "${unit.name}" is already a K3s unit in ${kins.mode} mode (phase ${kins.phase}); demote first to change the mode`,
    );
  }
  if (kins.phase === 'failed')
    throw new IllegalStateError(
      `unit "${unit.name}" has a failed K3s cluster (${kins.failureReason ?? 'no reason'}); demote first to clean up`,
    );
  if (kins.phase === 'demoting')
    throw new IllegalStateError(`unit "${unit.name}" is being demoted; wait until the demotion finishes`);
  if (unit.isDefault)
    throw new IllegalStateError(
      `the default unit "${DEFAULT_UNIT_NAME}" cannot be promoted to a K3s cluster`,
    );
  if (command.mode !== 'single' && command.mode !== 'ha') {
    throw ValidationError.field('mode', `unknown Kins mode "${String(command.mode)}"; use single or ha`);
  }
  assertKinsHost(command.host);
  const nodes = assignRoles(unit.name, unit.members, command.mode, command.servers);
  const ranges = allocateRanges(
    command.host,
    command.taken.filter((t) => t.unit !== unit.name),
    {
      ...(command.serviceCidr !== undefined ? { serviceCidr: command.serviceCidr } : {}),
      ...(command.nodePortRange !== undefined ? { nodePortRange: command.nodePortRange } : {}),
    },
  );
  const generation = unit.generation + 1;
  return [
    {
      type: 'KinsPromotionRequested',
      data: {
        ...ids(unit),
        generation,
        mode: command.mode,
        kubernetesVersion: command.host.kubernetesVersion,
        nodes,
        ...ranges,
        kubeconfigs: kubeconfigRefs(unit.clusterId, unit.name, generation),
        at: command.now,
      },
    },
  ];
}

function report(
  command: Extract<NodeUnitCommand, { type: 'ReportKinsStatus' }>,
  unit: ActiveUnit,
): NodeUnitEvent[] {
  const kins = unit.kins;
  if (kins.phase === 'none') {
    if (command.phase === 'uninstalled') return [];
    throw new IllegalStateError(`unit "${unit.name}" is not a K3s unit; report "${command.phase}" refused`);
  }
  // A late report from an earlier promotion must not move the current one.
  if (command.generation !== kins.generation) return [];
  const base = { ...ids(unit), generation: kins.generation, at: command.now };
  switch (command.phase) {
    case 'running':
      if (kins.phase === 'independent' || kins.phase === 'demoting') return [];
      return [
        {
          type: 'NodeUnitUpgradedToK3s',
          data: {
            ...base,
            ...(command.apiServerEndpoint ? { apiServerEndpoint: command.apiServerEndpoint } : {}),
            ...(command.k3sVersion ? { k3sVersion: command.k3sVersion } : {}),
          },
        },
      ];
    case 'failed': {
      const reason = command.message?.trim() || 'agent reported a failure without a message';
      if (kins.phase === 'failed' && kins.failureReason === reason) return [];
      return [{ type: 'KinsClusterFailed', data: { ...base, reason } }];
    }
    case 'uninstalled':
      if (kins.phase !== 'demoting') {
        throw new IllegalStateError(
          `unit "${unit.name}" is ${kins.phase}, not being demoted; report "uninstalled" refused`,
        );
      }
      return [{ type: 'NodeUnitDemotedFromK3s', data: base }];
  }
}

function enablePublicAccess(
  command: Extract<NodeUnitCommand, { type: 'EnableKinsPublicAccess' }>,
  unit: ActiveUnit,
): NodeUnitEvent[] {
  const kins = unit.kins;
  if (kins.phase !== 'promoting' && kins.phase !== 'independent') {
    throw new IllegalStateError(
      `public access needs an independent K3s unit; unit "${unit.name}" is in phase ${kins.phase}`,
    );
  }
  if (!command.passwordHash) {
    throw ValidationError.field('password', 'public access requires an operator-set proxy password');
  }
  if (!BCRYPT_HASH.test(command.passwordHash)) {
    throw ValidationError.field(
      'passwordHash',
      'must be a bcrypt hash (hash the proxy password with hashProxyPassword first)',
    );
  }
  if (kins.publicAccess?.passwordHash === command.passwordHash) return [];
  return [
    {
      type: 'KinsPublicAccessEnabled',
      data: {
        ...ids(unit),
        generation: kins.generation,
        passwordHash: command.passwordHash,
        at: command.now,
      },
    },
  ];
}

function evolve(state: NodeUnitState, event: NodeUnitEvent): NodeUnitState {
  switch (event.type) {
    case 'NodeUnitCreated': {
      const d = event.data;
      return {
        status: 'active',
        clusterId: d.clusterId,
        name: d.name,
        spec: specOf(d),
        isDefault: d.default,
        ...(d.managedBy ? { managedBy: d.managedBy } : {}),
        members: [],
        kins: NO_KINS,
        generation: state.status === 'absent' ? 0 : state.generation,
        createdAt: d.at,
      };
    }
    case 'NodeUnitDeleted':
      if (state.status !== 'active') return state;
      return {
        status: 'deleted',
        clusterId: state.clusterId,
        name: state.name,
        generation: state.generation,
      };
  }
  if (state.status !== 'active') return state;
  switch (event.type) {
    case 'NodeUnitUpdated':
      return { ...state, spec: specOf(event.data) };
    case 'NodeUnitMembersChanged':
      return { ...state, members: event.data.members };
    case 'KinsPromotionRequested': {
      const d = event.data;
      return {
        ...state,
        generation: d.generation,
        kins: {
          phase: 'promoting',
          generation: d.generation,
          mode: d.mode,
          kubernetesVersion: d.kubernetesVersion,
          nodes: d.nodes,
          serviceCidr: d.serviceCidr,
          clusterDns: d.clusterDns,
          nodePortRange: d.nodePortRange,
          kubeconfigs: d.kubeconfigs,
        },
      };
    }
    case 'NodeUnitDemotedFromK3s':
      return { ...state, kins: NO_KINS };
  }
  if (state.kins.phase === 'none') return state;
  const kins: ActiveKins = state.kins;
  switch (event.type) {
    case 'NodeUnitUpgradedToK3s': {
      const { failureReason: _dropped, ...rest } = kins;
      return {
        ...state,
        kins: {
          ...rest,
          phase: 'independent',
          ...(event.data.apiServerEndpoint ? { apiServerEndpoint: event.data.apiServerEndpoint } : {}),
          ...(event.data.k3sVersion ? { k3sVersion: event.data.k3sVersion } : {}),
        },
      };
    }
    case 'KinsClusterFailed':
      return { ...state, kins: { ...kins, phase: 'failed', failureReason: event.data.reason } };
    case 'KinsNodeJoinRequested':
      return {
        ...state,
        kins: {
          ...kins,
          nodes: [...kins.nodes, { name: event.data.node, role: event.data.role }].sort((a, b) =>
            a.name < b.name ? -1 : 1,
          ),
        },
      };
    case 'KinsNodeLeaveRequested':
      return { ...state, kins: { ...kins, nodes: kins.nodes.filter((n) => n.name !== event.data.node) } };
    case 'KinsPublicAccessEnabled':
      return { ...state, kins: { ...kins, publicAccess: { passwordHash: event.data.passwordHash } } };
    case 'KinsPublicAccessDisabled': {
      const { publicAccess: _off, ...rest } = kins;
      return { ...state, kins: rest };
    }
    case 'KinsDemotionRequested': {
      const { publicAccess: _off, ...rest } = kins;
      return { ...state, kins: { ...rest, phase: 'demoting' } };
    }
  }
  return state;
}

function specOf(d: NodeUnitSpec): NodeUnitSpec {
  return {
    type: d.type,
    nodes: d.nodes,
    ...(d.selector ? { selector: d.selector } : {}),
    allNodes: d.allNodes,
    setNode: d.setNode,
    labels: d.labels,
  };
}
