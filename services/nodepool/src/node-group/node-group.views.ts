import type { GroupDef } from '../membership/membership.engine.js';
import type { ActiveGroupState } from './node-group.state.js';

/** A live group as the membership engine reads it. */
export function groupDefOf(group: ActiveGroupState): GroupDef {
  return { name: group.name, spec: group.spec };
}

/** The names of the groups a unit belongs to (as last resolved), in the groups' order. */
export function groupsOfUnit(groups: readonly ActiveGroupState[], unit: string): string[] {
  return groups.filter((g) => g.units.includes(unit)).map((g) => g.name);
}
