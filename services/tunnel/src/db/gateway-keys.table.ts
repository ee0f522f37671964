import type { Generated } from 'kysely';

/**
 * `gateway_keys`: the gateway CA and the one serving key every replica presents (so the key pin
 * printed in join commands holds for all of them). Private keys live here only, never in an event.
 */
export interface GatewayKeysTable {
  id: string;
  ca_cert_pem: string;
  ca_key_pem: string;
  serving_key_pem: string;
  created_at: Generated<Date>;
}
