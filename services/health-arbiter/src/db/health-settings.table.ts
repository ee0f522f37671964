import type { ColumnType } from 'kysely';

/**
 * proj_health_settings: one row per cluster whose settings were ever changed (absent = the
 * defaults); inline projection of HealthSettingsChanged / UnitHealthCheckSwitched.
 */
export interface HealthSettingsTable {
  cluster_id: string;
  multi_region: boolean;
  no_eviction: boolean;
  grace_seconds: number;
  vote_ttl_seconds: number;
  /** units whose health check is switched off, sorted */
  disabled_units: ColumnType<string[], string[], string[]>;
  changed_by: string;
  changed_at: ColumnType<Date, string, string>;
  /** global position of the last event applied: a replay of an older one is a no-op */
  last_position: number;
}
