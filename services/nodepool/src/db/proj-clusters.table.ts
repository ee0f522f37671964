import type { ColumnType } from 'kysely';

/** Clusters as nodepool knows them (ClusterCreated/ClusterDeleted): name ↔ id and the Kins host facts. */
export interface ProjClustersTable {
  cluster_id: string;
  name: string;
  kubernetes_version: string;
  runtime: string;
  pod_cidr: string | null;
  service_cidr: string | null;
  /** set by ClusterDeleted; the row is kept, but a deleted cluster no longer resolves */
  deleted: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: string;
}
