import type { ColumnType } from 'kysely';

/**
 * `gateway_cas`: the gateway CAs the tunnel service published (GatewayCaPublished), keyed by their
 * hash — one in a deployment; test instances sharing a bus publish more, and the join command
 * picks the one its join server presents. Another service's fact, filled by a consumer, so it is
 * not rebuilt from this service's log.
 */
export interface GatewayCasTable {
  ca_hash: string;
  ca_cert_pem: string;
  serving_key_pin: string;
  not_after: ColumnType<Date, string, string>;
  published_at: ColumnType<Date, string, string>;
}
