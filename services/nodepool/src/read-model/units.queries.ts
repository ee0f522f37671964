import { NotFoundError } from '@edgeplane/es-kit';
import { pageOf, type PageRequest } from '@edgeplane/service-kit';
import type { SchemaQueries } from '../db/database.js';
import type { ActiveUnitState } from '../node-unit/node-unit.state.js';
import { computeUnitStatus, type UnitStatus } from '../node-unit/node-unit.views.js';
import { groupsOfUnit } from '../node-group/node-group.views.js';
import { listGroups } from './groups.queries.js';
import { readiness } from './node-health.queries.js';

/** The live units of a cluster, by name. */
export async function listUnits(db: SchemaQueries, clusterId: string): Promise<ActiveUnitState[]> {
  const rows = await db
    .selectFrom('proj_units')
    .select('state')
    .where('cluster_id', '=', clusterId)
    .orderBy('name')
    .execute();
  return rows.map((r) => r.state);
}

/** One page of a cluster's live units by name (keyset: name). */
export async function listUnitsPage(
  db: SchemaQueries,
  clusterId: string,
  page: PageRequest,
): Promise<{ items: ActiveUnitState[]; nextPageToken: string }> {
  let query = db
    .selectFrom('proj_units')
    .select(['state', 'name'])
    .where('cluster_id', '=', clusterId)
    .orderBy('name')
    .limit(page.limit + 1);
  if (page.after) query = query.where('name', '>', String(page.after[0]));
  const { items, nextPageToken } = pageOf(await query.execute(), page, (r) => [r.name]);
  return { items: items.map((r) => r.state), nextPageToken };
}

/** A live unit, or NOT_FOUND. */
export async function getUnit(db: SchemaQueries, clusterId: string, name: string): Promise<ActiveUnitState> {
  const row = await db
    .selectFrom('proj_units')
    .select('state')
    .where('cluster_id', '=', clusterId)
    .where('name', '=', name)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('NodeUnit', name);
  return row.state;
}

/** What a read of a unit shows: the unit, the groups it is in and its live status. */
export interface UnitView {
  unit: ActiveUnitState;
  groups: string[];
  status: UnitStatus;
}

/** Units with their groups and live status (members × latest verdicts). */
export async function unitViews(
  db: SchemaQueries,
  clusterId: string,
  units: readonly ActiveUnitState[],
): Promise<UnitView[]> {
  const [groups, ready] = await Promise.all([listGroups(db, clusterId), readiness(db, clusterId)]);
  return units.map((unit) => ({
    unit,
    groups: groupsOfUnit(groups, unit.name),
    status: computeUnitStatus(unit.members, ready),
  }));
}

export async function unitView(db: SchemaQueries, clusterId: string, name: string): Promise<UnitView> {
  const [view] = await unitViews(db, clusterId, [await getUnit(db, clusterId, name)]);
  if (!view) throw new NotFoundError('NodeUnit', name);
  return view;
}

/** Unit status (F-NP-3) of one unit, computed at read time. */
export async function unitStatus(db: SchemaQueries, clusterId: string, name: string): Promise<UnitStatus> {
  const unit = await getUnit(db, clusterId, name);
  return computeUnitStatus(unit.members, await readiness(db, clusterId));
}
