import { NotFoundError } from '@edgeplane/es-kit';
import { pageOf, type PageRequest } from '@edgeplane/service-kit';
import type { SchemaQueries } from '../db/database.js';
import type { ProjPodsTable } from '../db/proj-pods.table.js';
import type { ActiveGridState } from '../grid/grid.state.js';

/** The live grids of a cluster, by name. */
export async function listGrids(db: SchemaQueries, clusterId: string): Promise<ActiveGridState[]> {
  const rows = await db
    .selectFrom('proj_grids')
    .select('state')
    .where('cluster_id', '=', clusterId)
    .orderBy('name')
    .execute();
  return rows.map((r) => r.state);
}

/** One page of a cluster's live grids by name (keyset: name), optionally of one kind. */
export async function listGridsPage(
  db: SchemaQueries,
  clusterId: string,
  kind: string,
  page: PageRequest,
): Promise<{ items: ActiveGridState[]; nextPageToken: string }> {
  let query = db
    .selectFrom('proj_grids')
    .select(['state', 'name'])
    .where('cluster_id', '=', clusterId)
    .orderBy('name')
    .limit(page.limit + 1);
  if (kind) query = query.where('kind', '=', kind);
  if (page.after) query = query.where('name', '>', String(page.after[0]));
  const { items, nextPageToken } = pageOf(await query.execute(), page, (r) => [r.name]);
  return { items: items.map((r) => r.state), nextPageToken };
}

/** A live grid, or NOT_FOUND. */
export async function getGrid(db: SchemaQueries, clusterId: string, name: string): Promise<ActiveGridState> {
  const row = await db
    .selectFrom('proj_grids')
    .select('state')
    .where('cluster_id', '=', clusterId)
    .where('name', '=', name)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Grid', name);
  return row.state;
}

export interface PodFilter {
  grid: string;
  unit: string;
  node: string;
}

/** One page of a cluster's pods by name (keyset: name), filtered by grid, unit and node when given. */
export async function listPodsPage(
  db: SchemaQueries,
  clusterId: string,
  filter: PodFilter,
  page: PageRequest,
): Promise<{ items: ProjPodsTable[]; nextPageToken: string }> {
  let query = db
    .selectFrom('proj_pods')
    .selectAll()
    .where('cluster_id', '=', clusterId)
    .orderBy('name')
    .limit(page.limit + 1);
  if (filter.grid) query = query.where('grid', '=', filter.grid);
  if (filter.unit) query = query.where('unit', '=', filter.unit);
  if (filter.node) query = query.where('node', '=', filter.node);
  if (page.after) query = query.where('name', '>', String(page.after[0]));
  return pageOf(await query.execute(), page, (r) => [r.name]);
}

/** A pod by name, or NOT_FOUND. */
export async function getPod(db: SchemaQueries, clusterId: string, name: string): Promise<ProjPodsTable> {
  const row = await db
    .selectFrom('proj_pods')
    .selectAll()
    .where('cluster_id', '=', clusterId)
    .where('name', '=', name)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Pod', name);
  return row;
}

/** The pod's spec as last assigned to its node (undefined while Pending). */
export async function podSpecOf(
  db: SchemaQueries,
  clusterId: string,
  node: string,
  pod: string,
): Promise<Record<string, unknown> | undefined> {
  const row = await db
    .selectFrom('proj_node_pods')
    .select('pods')
    .where('cluster_id', '=', clusterId)
    .where('node', '=', node)
    .executeTakeFirst();
  return row?.pods.find((p) => p.pod === pod)?.spec;
}
