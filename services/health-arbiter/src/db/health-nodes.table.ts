import type { ColumnType, Generated } from 'kysely';

/**
 * proj_health_nodes: the node set of each cluster with its NodeUnits (cluster's NodeJoined /
 * NodeRemoved and nodepool's NodeMembershipChanged, through the consumers). Membership may
 * arrive before the join, so a row can exist with `present = false`.
 */
export interface HealthNodesTable {
  cluster_id: string;
  node: string;
  present: Generated<boolean>;
  joined_at: ColumnType<Date | null, string | null | undefined, string | null>;
  /** the node's units as nodepool sent them (the default unit included) */
  units: ColumnType<string[], string[] | undefined, string[]>;
  /** the node-membership stream version `units` came from (null: none, or an event without one) */
  units_version: ColumnType<number | null, number | null | undefined, number | null>;
}
