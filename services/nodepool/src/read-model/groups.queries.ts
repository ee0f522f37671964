import { NotFoundError } from '@edgeplane/es-kit';
import { pageOf, type PageRequest } from '@edgeplane/service-kit';
import type { SchemaQueries } from '../db/database.js';
import type { ActiveGroupState } from '../node-group/node-group.state.js';

/** The live groups of a cluster, by name. */
export async function listGroups(db: SchemaQueries, clusterId: string): Promise<ActiveGroupState[]> {
  const rows = await db
    .selectFrom('proj_groups')
    .select('state')
    .where('cluster_id', '=', clusterId)
    .orderBy('name')
    .execute();
  return rows.map((r) => r.state);
}

/** One page of a cluster's live groups by name (keyset: name). */
export async function listGroupsPage(
  db: SchemaQueries,
  clusterId: string,
  page: PageRequest,
): Promise<{ items: ActiveGroupState[]; nextPageToken: string }> {
  let query = db
    .selectFrom('proj_groups')
    .select(['state', 'name'])
    .where('cluster_id', '=', clusterId)
    .orderBy('name')
    .limit(page.limit + 1);
  if (page.after) query = query.where('name', '>', String(page.after[0]));
  const { items, nextPageToken } = pageOf(await query.execute(), page, (r) => [r.name]);
  return { items: items.map((r) => r.state), nextPageToken };
}

/** A live group, or NOT_FOUND. */
export async function getGroup(
  db: SchemaQueries,
  clusterId: string,
  name: string,
): Promise<ActiveGroupState> {
  const row = await db
    .selectFrom('proj_groups')
    .select('state')
    .where('cluster_id', '=', clusterId)
    .where('name', '=', name)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('NodeGroup', name);
  return row.state;
}
