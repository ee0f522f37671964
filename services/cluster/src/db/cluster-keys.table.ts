import type { Generated, JSONColumnType } from 'kysely';
import type { SealedSecret } from '@edgeplane/service-kit';

/**
 * `cluster_keys`: the key store — a cluster's CA key and its admin credential's key, sealed under
 * the key-encryption key (pki/key-store.ts). Never in an event.
 */
export interface ClusterKeysTable {
  cluster_id: string;
  ca_cert_pem: string;
  /** legacy plaintext, only until the start-up sweep seals it (then NULL); never written */
  ca_key_pem: string | null;
  ca_key_sealed: JSONColumnType<SealedSecret | null, string | null, string | null>;
  admin_cert_pem: string;
  /** legacy plaintext, as ca_key_pem */
  admin_key_pem: string | null;
  admin_key_sealed: JSONColumnType<SealedSecret | null, string | null, string | null>;
  admin_serial: string;
  updated_at: Generated<Date>;
}
