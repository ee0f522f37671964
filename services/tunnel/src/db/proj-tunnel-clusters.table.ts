import type { Generated } from 'kysely';

/**
 * `proj_tunnel_clusters`: the clusters whose node certificates the gateway trusts (consumer of
 * cluster events). Any of a cluster's events may make the row; `name` and `ca_cert_pem` come with
 * ClusterCreated (a cluster without a CA yet is not trusted). `remote_login_pos` is the cluster
 * stream position of the event that set `remote_login`.
 */
export interface ProjTunnelClustersTable {
  cluster_id: string;
  name: string | null;
  ca_cert_pem: string | null;
  remote_login: Generated<boolean>;
  remote_login_pos: Generated<number>;
  deleted: Generated<boolean>;
  updated_at: Generated<Date>;
}
