import type { Generated, JSONColumnType } from 'kysely';
import type { SealedSecret } from '@edgeplane/service-kit';

/**
 * `gateway_keys`: the gateway CA and the one serving key every replica presents (so the key pin
 * printed in join commands holds for all of them). Private keys live here only, sealed under the
 * key-encryption key (gateway-ca.handler.ts), never in an event.
 */
export interface GatewayKeysTable {
  id: string;
  ca_cert_pem: string;
  /** legacy plaintext, only until the start-up sweep seals it (then NULL); never written */
  ca_key_pem: string | null;
  ca_key_sealed: JSONColumnType<SealedSecret | null, string | null, string | null>;
  /** legacy plaintext, as ca_key_pem */
  serving_key_pem: string | null;
  serving_key_sealed: JSONColumnType<SealedSecret | null, string | null, string | null>;
  created_at: Generated<Date>;
}
