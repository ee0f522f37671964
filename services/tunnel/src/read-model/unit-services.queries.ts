import type { Db, Trx } from '@edgeplane/eventstore';
import { sql } from 'kysely';
import { inSchema } from '../db/database.js';
import type { UnitEndpointRow } from '../db/proj-tunnel-unit-services.table.js';
import type { StoredServicePort, UnitServiceRow } from '../gateway/unit-services.js';

/**
 * ServiceGrids per unit (proj_tunnel_service_grids, proj_tunnel_unit_services): written by the
 * ServiceGrid consumer, read by the control session of the replica holding a node when the
 * directory says the node's services digest changed. Every write is guarded by the event's
 * position in the grid's stream: redeliveries and older events are no-ops.
 */

/** GridApplied of a ServiceGrid: its Service's name, namespace and ports. */
export async function setServiceGrid(
  trx: Trx,
  schema: string,
  row: {
    clusterId: string;
    grid: string;
    service: string;
    namespace: string;
    ports: StoredServicePort[];
    digest: string;
    pos: number;
  },
): Promise<boolean> {
  const t = sql.id(schema, 'proj_tunnel_service_grids');
  const result = await sql`
    INSERT INTO ${t} AS g (cluster_id, grid, service, namespace, ports, deleted, digest, stream_version)
    VALUES (${row.clusterId}, ${row.grid}, ${row.service}, ${row.namespace}, ${JSON.stringify(row.ports)}::jsonb,
            false, ${row.digest}, ${row.pos})
    ON CONFLICT (cluster_id, grid) DO UPDATE SET
      service = excluded.service, namespace = excluded.namespace, ports = excluded.ports,
      deleted = false, digest = excluded.digest, stream_version = excluded.stream_version, updated_at = now()
    WHERE g.stream_version < excluded.stream_version`.execute(trx);
  return (result.numAffectedRows ?? 0n) > 0n;
}

/** GridDeleted of a ServiceGrid: hidden from every unit, its older endpoints emptied. */
export async function deleteServiceGrid(
  trx: Trx,
  schema: string,
  row: { clusterId: string; grid: string; service: string; pos: number },
): Promise<boolean> {
  const g = sql.id(schema, 'proj_tunnel_service_grids');
  const u = sql.id(schema, 'proj_tunnel_unit_services');
  const result = await sql`
    INSERT INTO ${g} AS g (cluster_id, grid, service, namespace, ports, deleted, digest, stream_version)
    VALUES (${row.clusterId}, ${row.grid}, ${row.service}, '', '[]'::jsonb, true, 'deleted', ${row.pos})
    ON CONFLICT (cluster_id, grid) DO UPDATE SET
      deleted = true, digest = 'deleted', stream_version = excluded.stream_version, updated_at = now()
    WHERE g.stream_version < excluded.stream_version`.execute(trx);
  await sql`
    UPDATE ${u} SET endpoints = '[]'::jsonb, removed = true, digest = 'removed',
      stream_version = ${row.pos}, updated_at = now()
    WHERE cluster_id = ${row.clusterId} AND grid = ${row.grid} AND stream_version < ${row.pos}`.execute(trx);
  return (result.numAffectedRows ?? 0n) > 0n;
}

/** ServiceEndpointsChanged: the unit's full list, unless a newer one is already applied. */
export async function setUnitEndpoints(
  trx: Trx,
  schema: string,
  row: {
    clusterId: string;
    grid: string;
    unit: string;
    service: string;
    endpoints: UnitEndpointRow[];
    removed: boolean;
    digest: string;
    pos: number;
  },
): Promise<boolean> {
  const t = sql.id(schema, 'proj_tunnel_unit_services');
  const result = await sql`
    INSERT INTO ${t} AS u (cluster_id, grid, unit, service, endpoints, removed, digest, stream_version)
    VALUES (${row.clusterId}, ${row.grid}, ${row.unit}, ${row.service}, ${JSON.stringify(row.endpoints)}::jsonb,
            ${row.removed}, ${row.digest}, ${row.pos})
    ON CONFLICT (cluster_id, grid, unit) DO UPDATE SET
      service = excluded.service, endpoints = excluded.endpoints, removed = excluded.removed,
      digest = excluded.digest, stream_version = excluded.stream_version, updated_at = now()
    WHERE u.stream_version < excluded.stream_version`.execute(trx);
  return (result.numAffectedRows ?? 0n) > 0n;
}

/** The nodes in any of `units` (their desired states change with the units' services). */
export async function nodesInUnits(
  trx: Trx,
  schema: string,
  clusterId: string,
  units: string[],
): Promise<string[]> {
  if (units.length === 0) return [];
  const rows = await inSchema(trx, schema)
    .selectFrom('proj_tunnel_nodes')
    .select('node')
    .where('cluster_id', '=', clusterId)
    .where(sql<boolean>`units && ${sql.val(units)}::text[]`)
    .execute();
  return rows.map((r) => r.node);
}

/** The units a grid has endpoint rows in (a change of its name or ports reaches all of them). */
export async function unitsOfGrid(
  trx: Trx,
  schema: string,
  clusterId: string,
  grid: string,
): Promise<string[]> {
  const rows = await inSchema(trx, schema)
    .selectFrom('proj_tunnel_unit_services')
    .select('unit')
    .where('cluster_id', '=', clusterId)
    .where('grid', '=', grid)
    .execute();
  return rows.map((r) => r.unit);
}

/**
 * The digest of what a node in `units` is told about services, computed in the directory's node
 * query (the same on every replica): the live grids' endpoint rows of those units.
 */
export function servicesDigestSql(schema: string) {
  const us = sql.id(schema, 'proj_tunnel_unit_services');
  const sg = sql.id(schema, 'proj_tunnel_service_grids');
  return sql<string | null>`(
    SELECT md5(string_agg(us.grid || '/' || us.unit || '/' || us.digest || '/' || coalesce(sg.digest, ''),
                          ',' ORDER BY us.grid, us.unit))
      FROM ${us} us
      LEFT JOIN ${sg} sg ON sg.cluster_id = us.cluster_id AND sg.grid = us.grid
     WHERE us.cluster_id = n.cluster_id AND us.unit = ANY(n.units)
       AND NOT us.removed AND coalesce(NOT sg.deleted, true))`;
}

/** The services rows of `units` (live grids only), for a node's desired state. */
export async function servicesOfUnits(
  db: Db,
  schema: string,
  clusterId: string,
  units: readonly string[],
): Promise<UnitServiceRow[]> {
  if (units.length === 0) return [];
  const rows = await inSchema(db, schema)
    .selectFrom('proj_tunnel_unit_services as us')
    .leftJoin('proj_tunnel_service_grids as sg', (j) =>
      j.onRef('sg.cluster_id', '=', 'us.cluster_id').onRef('sg.grid', '=', 'us.grid'),
    )
    .select(['us.grid', 'us.unit', 'us.service', 'us.endpoints', 'sg.namespace', 'sg.ports', 'sg.deleted'])
    .where('us.cluster_id', '=', clusterId)
    .where('us.unit', 'in', [...units])
    .where('us.removed', '=', false)
    .execute();
  return rows
    .filter((r) => r.deleted !== true)
    .map((r) => ({
      grid: r.grid,
      unit: r.unit,
      service: r.service,
      endpoints: r.endpoints,
      namespace: r.namespace,
      ports: r.ports,
    }));
}
