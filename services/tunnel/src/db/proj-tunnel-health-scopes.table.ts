import type { Generated } from 'kysely';

/** `proj_tunnel_health_scopes`: what makes a node's peer set (the health-arbiter's settings events). */
export interface ProjTunnelHealthScopesTable {
  cluster_id: string;
  multi_region: Generated<boolean>;
  disabled_units: Generated<string[]>;
  updated_at: Generated<Date>;
}
