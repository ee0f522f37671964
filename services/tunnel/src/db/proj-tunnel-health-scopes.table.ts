import type { Generated } from 'kysely';

/** `proj_tunnel_health_scopes`: what makes a node's peer set (the health-arbiter's settings events). */
export interface ProjTunnelHealthScopesTable {
  cluster_id: string;
  multi_region: boolean;
  disabled_units: string[];
  updated_at: Generated<Date>;
}
