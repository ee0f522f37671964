import type { ColumnType, Generated } from 'kysely';

/**
 * proj_health_clusters: every cluster the cluster service announced (ClusterCreated /
 * ClusterDeleted, through the cluster-events consumer), so the API takes a cluster by name or id.
 */
export interface HealthClustersTable {
  cluster_id: string;
  name: string;
  deleted: Generated<boolean>;
  /** written as the event's ISO time */
  created_at: ColumnType<Date, string, never>;
}
