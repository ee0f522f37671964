import type { ColumnType, JSONColumnType } from 'kysely';
import type { ActiveCluster } from '../cluster/cluster.state.js';

/**
 * `proj_clusters`: live clusters (inline projection; the row goes with ClusterDeleted). `state` is
 * the aggregate folded with the decider's own evolve; the other columns are what queries filter on.
 * A unique index on `name` settles a race between two creations of one name.
 */
export interface ProjClustersTable {
  cluster_id: string;
  name: string;
  region: string;
  vpc_id: string | null;
  vpc_cidr: string;
  pod_cidr: string;
  service_cidr: string;
  created_at: ColumnType<Date, string, string>;
  state: JSONColumnType<ActiveCluster>;
  last_position: number;
}
