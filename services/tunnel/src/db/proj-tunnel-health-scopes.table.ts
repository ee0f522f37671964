import type { ColumnType, Generated } from 'kysely';

/** One unit's health-check switch and the settings-stream position of the event that set it. */
export type UnitSwitches = Record<string, { enabled: boolean; pos: number }>;

/** `proj_tunnel_health_scopes`: what makes a node's peer set (the health-arbiter's settings events). */
export interface ProjTunnelHealthScopesTable {
  cluster_id: string;
  multi_region: Generated<boolean>;
  multi_region_pos: Generated<number>;
  unit_switches: ColumnType<UnitSwitches, string | undefined, string>;
  updated_at: Generated<Date>;
}
