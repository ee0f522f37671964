import type { MembershipResult, MembershipWorld } from './membership.engine.js';

/**
 * Which auto-found units (NodeGroup autoFindNodeKeys) to materialise as NodeUnit aggregates and
 * which materialised ones to delete because no node carries their values any more or their group
 * dropped the keys or is gone. The reconciler turns this into CreateNodeUnit / DeleteNodeUnit
 * commands with `managedBy` set to the group.
 */
export function planAutoUnits(world: MembershipWorld, result: MembershipResult) {
  const wanted = new Set(result.autoUnits.map((u) => u.name));
  const declared = new Set(world.units.map((u) => u.name));
  return {
    create: result.autoUnits.filter((u) => !declared.has(u.name)),
    delete: world.units.flatMap((u) =>
      u.managedBy !== undefined && !wanted.has(u.name) ? [{ name: u.name, managedBy: u.managedBy }] : [],
    ),
  };
}
