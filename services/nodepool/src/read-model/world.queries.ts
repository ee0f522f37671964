import type { SchemaQueries } from '../db/database.js';
import type { MembershipWorld } from '../membership/membership.engine.js';
import { unitDefOf } from '../node-unit/node-unit.views.js';
import { groupDefOf } from '../node-group/node-group.views.js';
import type { PublishedMembership } from '../reconciler/reconcile-plan.js';
import { listGroups } from './groups.queries.js';
import { layersOf } from './memberships.queries.js';
import { listNodes } from './nodes.queries.js';
import { listUnits } from './units.queries.js';

/** The desired state of one cluster as the membership engine reads it. */
export async function worldOf(db: SchemaQueries, clusterId: string): Promise<MembershipWorld> {
  const [nodes, units, groups] = await Promise.all([
    listNodes(db, clusterId),
    listUnits(db, clusterId),
    listGroups(db, clusterId),
  ]);
  return { nodes, units: units.map(unitDefOf), groups: groups.map(groupDefOf) };
}

/** What nodepool has published so far (unit members, group units, node layers). */
export async function publishedOf(
  db: SchemaQueries,
  clusterId: string,
): Promise<Required<PublishedMembership>> {
  const [units, groups, nodeLayers] = await Promise.all([
    listUnits(db, clusterId),
    listGroups(db, clusterId),
    layersOf(db, clusterId),
  ]);
  return {
    unitMembers: new Map(units.map((u) => [u.name, u.members])),
    groupUnits: new Map(groups.map((g) => [g.name, g.units])),
    nodeLayers,
  };
}
