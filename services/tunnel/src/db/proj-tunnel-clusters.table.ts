import type { Generated } from 'kysely';

/** `proj_tunnel_clusters`: the clusters whose node certificates the gateway trusts (consumer of cluster events). */
export interface ProjTunnelClustersTable {
  cluster_id: string;
  name: string;
  ca_cert_pem: string;
  remote_login: Generated<boolean>;
  deleted: Generated<boolean>;
  updated_at: Generated<Date>;
}
