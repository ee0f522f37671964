import type { Generated, JSONColumnType } from 'kysely';

/** One ready endpoint of a ServiceGrid in one unit (ServiceEndpointsChanged; `ip` absent: the node's address). */
export interface UnitEndpointRow {
  pod: string;
  node: string;
  ip?: string;
}

/**
 * `proj_tunnel_unit_services`: the ready endpoints of each ServiceGrid in each unit (the grid
 * service's ServiceEndpointsChanged: the unit's FULL list, bounded), `removed` when the unit left
 * the grid's group. `stream_version` is the event's position in the grid's stream (an older one
 * never overwrites a newer one); `digest` hashes the endpoints (part of the unit's nodes'
 * desired-state version).
 */
export interface ProjTunnelUnitServicesTable {
  cluster_id: string;
  grid: string;
  unit: string;
  service: string;
  endpoints: JSONColumnType<UnitEndpointRow[], string, string>;
  removed: boolean;
  digest: string;
  stream_version: number;
  updated_at: Generated<Date>;
}
