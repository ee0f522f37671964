import type { GatewayCaPublishedData } from '@edgeplane/contracts';
import type { SchemaQueries } from '../db/database.js';

/** A gateway CA as the tunnel service published it (GatewayCaPublished). */
export interface PublishedGatewayCa {
  caHash: string;
  caCertPem: string;
  servingKeyPin: string;
  notAfter: string;
  publishedAt: string;
}

/** Keeps a published CA; the same CA again (a redelivery, a replay) changes nothing. */
export async function recordGatewayCa(q: SchemaQueries, ca: GatewayCaPublishedData): Promise<void> {
  await q
    .insertInto('gateway_cas')
    .values({
      ca_hash: ca.caHash,
      ca_cert_pem: ca.caCertPem,
      serving_key_pin: ca.servingKeyPin,
      not_after: ca.notAfter,
      published_at: ca.publishedAt,
    })
    .onConflict((oc) => oc.column('ca_hash').doNothing())
    .execute();
}

/** Every CA the tunnel service published, the latest first. */
export async function listGatewayCas(q: SchemaQueries): Promise<PublishedGatewayCa[]> {
  const rows = await q.selectFrom('gateway_cas').selectAll().orderBy('published_at', 'desc').execute();
  return rows.map((r) => ({
    caHash: r.ca_hash,
    caCertPem: r.ca_cert_pem,
    servingKeyPin: r.serving_key_pin,
    notAfter: r.not_after.toISOString(),
    publishedAt: r.published_at.toISOString(),
  }));
}
