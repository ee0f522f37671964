import type { ColumnType } from 'kysely';

/**
 * `node_conditions`: the Ready condition the health-arbiter decides, written by the verdict
 * consumer. Another service's fact, so it is not rebuilt from this service's log.
 */
export interface NodeConditionsTable {
  cluster_id: string;
  node_name: string;
  type: string;
  status: string;
  reason: string;
  message: string;
  last_transition_at: ColumnType<Date, string, string>;
}
