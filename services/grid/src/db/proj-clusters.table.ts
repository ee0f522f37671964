import type { ColumnType } from 'kysely';

/** Clusters as the grid service knows them (ClusterCreated/ClusterDeleted): name ↔ id. */
export interface ProjClustersTable {
  cluster_id: string;
  name: string;
  /** set by ClusterDeleted; the row is kept, but a deleted cluster no longer resolves */
  deleted: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: string;
}
