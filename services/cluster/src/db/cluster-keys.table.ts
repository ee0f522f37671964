import type { Generated } from 'kysely';

/** `cluster_keys`: the key store — a cluster's CA key and its admin credential's key. Never in an event. */
export interface ClusterKeysTable {
  cluster_id: string;
  ca_cert_pem: string;
  ca_key_pem: string;
  admin_cert_pem: string;
  admin_key_pem: string;
  admin_serial: string;
  updated_at: Generated<Date>;
}
