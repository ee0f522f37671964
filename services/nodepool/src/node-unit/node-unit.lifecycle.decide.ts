import {
  AlreadyExistsError,
  IllegalStateError,
  ValidationError,
  type FieldViolation,
} from '@edgeplane/es-kit';
import { dns1123LabelProblem, jsonEqual, sortedUnique } from '../shared/k8s-names.js';
import type { Addressed } from '../model/command.js';
import {
  DEFAULT_UNIT_NAME,
  normalizeUnitSpec,
  type NodeUnitSpec,
  type NodeUnitSpecInput,
} from '../model/node-unit.model.js';
import {
  computeMembership,
  unitDef,
  withUnit,
  type MembershipWorld,
} from '../membership/membership.engine.js';
import { newGroupConflicts } from '../membership/exclusivity.js';
import { kinsMembershipEvents } from './node-unit.kins.decide.js';
import {
  activeUnit,
  type ActiveUnitState,
  type NodeUnitEvent,
  type NodeUnitState,
} from './node-unit.state.js';

/** The NodeUnit lifecycle: created (by an operator, the cluster or a group), changed, deleted, resolved. */
export type UnitLifecycleCommand =
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
  | (Addressed & { type: 'ResolveNodeUnitMembers'; members: string[] });

type Command<T extends UnitLifecycleCommand['type']> = Extract<UnitLifecycleCommand, { type: T }>;

export function ensureDefaultUnit(
  command: Command<'EnsureDefaultNodeUnit'>,
  state: NodeUnitState,
): NodeUnitEvent[] {
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
}

export function createUnit(command: Command<'CreateNodeUnit'>, state: NodeUnitState): NodeUnitEvent[] {
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

export function updateUnit(command: Command<'UpdateNodeUnit'>, unit: ActiveUnitState): NodeUnitEvent[] {
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

function assertManagedBy(unit: ActiveUnitState, managedBy: string | undefined, verb: string): void {
  if (unit.managedBy && unit.managedBy !== managedBy) {
    throw new IllegalStateError(
      `unit "${unit.name}" is created by NodeGroup "${unit.managedBy}" (autoFindNodeKeys) and cannot be ${verb} by hand; change the group instead`,
    );
  }
}

export function deleteUnit(command: Command<'DeleteNodeUnit'>, state: NodeUnitState): NodeUnitEvent[] {
  if (state.status === 'deleted') return [];
  const unit = activeUnit(state, command.name);
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

export function resolveUnitMembers(
  command: Command<'ResolveNodeUnitMembers'>,
  unit: ActiveUnitState,
): NodeUnitEvent[] {
  const members = sortedUnique(command.members);
  const previous = new Set(unit.members);
  const next = new Set(members);
  const added = members.filter((m) => !previous.has(m));
  const removed = unit.members.filter((m) => !next.has(m));
  if (added.length === 0 && removed.length === 0) return [];
  return [
    {
      type: 'NodeUnitMembersChanged',
      data: { clusterId: unit.clusterId, name: unit.name, members, added, removed, at: command.now },
    },
    ...kinsMembershipEvents(unit, added, removed, command.now),
  ];
}
