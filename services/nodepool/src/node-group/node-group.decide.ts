import {
  AlreadyExistsError,
  NotFoundError,
  ValidationError,
  type Decider,
  type FieldViolation,
} from '@edgeplane/es-kit';
import type {
  EventOf,
  NodeGroupCreated,
  NodeGroupDeleted,
  NodeGroupUnitsChanged,
  NodeGroupUpdated,
} from '@edgeplane/contracts';
import { dns1123LabelProblem, jsonEqual, sortedUnique } from '../shared/k8s-names.js';
import { withGroup, type MembershipWorld } from '../membership/membership.engine.js';
import { newGroupConflicts } from '../membership/exclusivity.js';
import { DEFAULT_UNIT_NAME } from '../node-unit/node-unit.spec.js';
import { normalizeGroupSpec, type NodeGroupSpec, type NodeGroupSpecInput } from './node-group.spec.js';

export type NodeGroupEvent =
  | EventOf<typeof NodeGroupCreated>
  | EventOf<typeof NodeGroupUpdated>
  | EventOf<typeof NodeGroupDeleted>
  | EventOf<typeof NodeGroupUnitsChanged>;

export type NodeGroupState =
  | { status: 'absent' }
  | {
      status: 'active';
      clusterId: string;
      name: string;
      spec: NodeGroupSpec;
      units: string[];
      createdAt: string;
    }
  | { status: 'deleted'; clusterId: string; name: string };

type ActiveGroup = Extract<NodeGroupState, { status: 'active' }>;

interface Addressed {
  clusterId: string;
  name: string;
  now: string;
}

export type NodeGroupCommand =
  | (Addressed & { type: 'CreateNodeGroup'; spec: NodeGroupSpecInput; world: MembershipWorld })
  | (Addressed & { type: 'UpdateNodeGroup'; spec: NodeGroupSpecInput; world: MembershipWorld })
  | (Addressed & { type: 'DeleteNodeGroup' })
  /** From the membership reconciler: the group's units computed by the engine. */
  | (Addressed & { type: 'ResolveNodeGroupUnits'; units: string[] });

export const nodeGroupStreamId = (clusterId: string, name: string) => `nodegroup:${clusterId}:${name}`;

export const nodeGroupDecider: Decider<NodeGroupState, NodeGroupCommand, NodeGroupEvent> = {
  initialState: { status: 'absent' },
  decide(command, state) {
    switch (command.type) {
      case 'CreateNodeGroup': {
        if (state.status === 'active') throw new AlreadyExistsError('NodeGroup', command.name);
        const violations: FieldViolation[] = [];
        const p = dns1123LabelProblem(command.name);
        if (p) violations.push({ field: 'name', description: `group name ${p}` });
        const spec = normalizeGroupSpec(command.spec, violations);
        checkName(command.name, command.world, violations);
        if (violations.length > 0) throw new ValidationError(violations);
        const conflicts = newGroupConflicts(
          command.world,
          withGroup(command.world, { name: command.name, spec }),
        );
        if (conflicts.length > 0) throw new ValidationError(conflicts);
        return [
          {
            type: 'NodeGroupCreated',
            data: { clusterId: command.clusterId, name: command.name, ...spec, at: command.now },
          },
        ];
      }
      case 'UpdateNodeGroup': {
        const group = active(state, command.name);
        const violations: FieldViolation[] = [];
        const spec = normalizeGroupSpec(command.spec, violations);
        if (violations.length > 0) throw new ValidationError(violations);
        if (jsonEqual(spec, group.spec)) return [];
        const before = withGroup(command.world, { name: group.name, spec: group.spec });
        const conflicts = newGroupConflicts(before, withGroup(command.world, { name: group.name, spec }));
        if (conflicts.length > 0) throw new ValidationError(conflicts);
        return [
          {
            type: 'NodeGroupUpdated',
            data: { clusterId: group.clusterId, name: group.name, ...spec, at: command.now },
          },
        ];
      }
      case 'DeleteNodeGroup': {
        if (state.status === 'deleted') return [];
        const group = active(state, command.name);
        return [
          {
            type: 'NodeGroupDeleted',
            data: { clusterId: group.clusterId, name: group.name, at: command.now },
          },
        ];
      }
      case 'ResolveNodeGroupUnits': {
        if (state.status === 'deleted') return [];
        const group = active(state, command.name);
        const units = sortedUnique(command.units);
        const added = units.filter((u) => !group.units.includes(u));
        const removed = group.units.filter((u) => !units.includes(u));
        if (added.length === 0 && removed.length === 0) return [];
        return [
          {
            type: 'NodeGroupUnitsChanged',
            data: { clusterId: group.clusterId, name: group.name, units, added, removed, at: command.now },
          },
        ];
      }
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'NodeGroupCreated': {
        const { clusterId, name, at, nodeUnits, selector, autoFindNodeKeys } = event.data;
        const spec: NodeGroupSpec = { nodeUnits, ...(selector ? { selector } : {}), autoFindNodeKeys };
        return { status: 'active', clusterId, name, spec, units: [], createdAt: at };
      }
      case 'NodeGroupUpdated': {
        if (state.status !== 'active') return state;
        const { nodeUnits, selector, autoFindNodeKeys } = event.data;
        return { ...state, spec: { nodeUnits, ...(selector ? { selector } : {}), autoFindNodeKeys } };
      }
      case 'NodeGroupDeleted':
        if (state.status !== 'active') return state;
        return { status: 'deleted', clusterId: state.clusterId, name: state.name };
      case 'NodeGroupUnitsChanged':
        if (state.status !== 'active') return state;
        return { ...state, units: event.data.units };
    }
  },
};

function active(state: NodeGroupState, name: string): ActiveGroup {
  if (state.status !== 'active') throw new NotFoundError('NodeGroup', name);
  return state;
}

/** The group name becomes a node label key; it must not collide with a unit's membership label. */
function checkName(name: string, world: MembershipWorld, violations: FieldViolation[]): void {
  if (name === DEFAULT_UNIT_NAME || world.units.some((u) => u.name === name)) {
    violations.push({
      field: 'name',
      description: `group name "${name}" is already the name of NodeUnit "${name}"; both are label keys on nodes`,
    });
  }
  for (const unit of world.units) {
    if (Object.prototype.hasOwnProperty.call(unit.spec.setNode.labels, name)) {
      violations.push({
        field: 'name',
        description: `NodeUnit "${unit.name}" already sets label "${name}" on its nodes (setNode)`,
      });
    }
  }
}
