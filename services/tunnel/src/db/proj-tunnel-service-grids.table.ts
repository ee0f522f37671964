import type { Generated, JSONColumnType } from 'kysely';
import type { StoredServicePort } from '../gateway/unit-services.js';

/**
 * `proj_tunnel_service_grids`: what the agents need of each ServiceGrid besides its endpoints —
 * the rendered Service's name and namespace and its ports (GridApplied of a ServiceGrid), or that
 * it is gone (GridDeleted). `stream_version` is the position, in the grid's stream, of the event
 * that set the row (an older one never overwrites it); `digest` hashes the rest.
 */
export interface ProjTunnelServiceGridsTable {
  cluster_id: string;
  grid: string;
  service: string;
  namespace: string;
  ports: JSONColumnType<StoredServicePort[], string, string>;
  deleted: boolean;
  digest: string;
  stream_version: number;
  updated_at: Generated<Date>;
}
