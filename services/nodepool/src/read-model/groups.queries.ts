import { NotFoundError } from '@edgeplane/es-kit';
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
