import { AlreadyExistsError, ValidationError, type FieldViolation } from '@edgeplane/es-kit';
import { dns1123LabelProblem, jsonEqual, sortedUnique } from '../shared/k8s-names.js';
import type { Addressed } from '../model/command.js';
import { DEFAULT_UNIT_NAME } from '../model/node-unit.model.js';
import { normalizeGroupSpec, type NodeGroupSpecInput } from '../model/node-group.model.js';
import { withGroup, type MembershipWorld } from '../membership/membership.engine.js';
import { newGroupConflicts } from '../membership/exclusivity.js';
import { activeGroup, type NodeGroupEvent, type NodeGroupState } from './node-group.state.js';

export type NodeGroupCommand =
  | (Addressed & { type: 'CreateNodeGroup'; spec: NodeGroupSpecInput; world: MembershipWorld })
  | (Addressed & { type: 'UpdateNodeGroup'; spec: NodeGroupSpecInput; world: MembershipWorld })
  | (Addressed & { type: 'DeleteNodeGroup' })
  /** From the membership reconciler: the group's units computed by the engine. */
  | (Addressed & { type: 'ResolveNodeGroupUnits'; units: string[] });

export function decideNodeGroup(command: NodeGroupCommand, state: NodeGroupState): NodeGroupEvent[] {
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
      const group = activeGroup(state, command.name);
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
      const group = activeGroup(state, command.name);
      return [
        {
          type: 'NodeGroupDeleted',
          data: { clusterId: group.clusterId, name: group.name, at: command.now },
        },
      ];
    }
    case 'ResolveNodeGroupUnits': {
      if (state.status === 'deleted') return [];
      const group = activeGroup(state, command.name);
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
