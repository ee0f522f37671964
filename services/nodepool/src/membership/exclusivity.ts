import type { FieldViolation } from '@edgeplane/es-kit';
import { computeMembership, type MembershipConflict, type MembershipWorld } from './membership.engine.js';

type ExclusivityConflict = Extract<MembershipConflict, { kind: 'group-exclusivity' }>;

/**
 * The one-unit-per-group rule: the violations that `after` has and `before` had not. A change is
 * refused only for conflicts it introduces — a conflict already caused by node labels does not
 * block unrelated edits (it is reported by the reconciler instead).
 */
export function newGroupConflicts(
  before: MembershipWorld,
  after: MembershipWorld,
  field = 'spec',
): FieldViolation[] {
  const key = (c: ExclusivityConflict) => `${c.group}\u0000${c.node}\u0000${c.units.join(',')}`;
  const old = new Set(exclusivityConflicts(before).map(key));
  return exclusivityConflicts(after)
    .filter((c) => !old.has(key(c)))
    .map((c) => ({
      field,
      description:
        `node "${c.node}" would be in units ${c.units.map((u) => `"${u}"`).join(' and ')} of group "${c.group}"; ` +
        'a node may be in only one unit of a group',
    }));
}

function exclusivityConflicts(world: MembershipWorld): ExclusivityConflict[] {
  return computeMembership(world).conflicts.filter(
    (c): c is ExclusivityConflict => c.kind === 'group-exclusivity',
  );
}
