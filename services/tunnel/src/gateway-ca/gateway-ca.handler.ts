import { Inject, Injectable } from '@nestjs/common';
import { AggregateHandler, type Db, type EventStore } from '@edgeplane/eventstore';
import { DB, EVENT_STORE, SCHEMA } from '@edgeplane/service-kit';
import { sql } from 'kysely';
import { inSchema } from '../db/database.js';
import { CLOCK, type Clock } from '../tokens.js';
import {
  GATEWAY_CA_STREAM,
  gatewayCaDecider,
  type GatewayCaCommand,
  type GatewayCaEvent,
  type GatewayCaState,
} from './gateway-ca.decider.js';
import {
  caHashOf,
  createGatewayCa,
  createServingKey,
  keyPinOf,
  notAfterOf,
  type GatewayCa,
} from './gateway-pki.js';

export interface GatewayKeys {
  ca: GatewayCa;
  servingKeyPem: string;
  caHash: string;
  servingKeyPin: string;
}

/**
 * Makes the gateway CA and the serving key at the first start of any replica and publishes the
 * pins (GatewayCaPublished); later starts load them. Replicas starting together take turns on a
 * transaction-scoped advisory lock, so exactly one CA is ever made.
 */
@Injectable()
export class GatewayCaHandler {
  private readonly handler: AggregateHandler<GatewayCaState, GatewayCaCommand, GatewayCaEvent>;

  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(SCHEMA) private readonly schema: string,
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.handler = new AggregateHandler(store, gatewayCaDecider);
  }

  async ensure(): Promise<GatewayKeys> {
    return this.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`${this.schema}:gateway-ca`}))`.execute(trx);
      const q = inSchema(trx, this.schema);
      const row = await q
        .selectFrom('gateway_keys')
        .selectAll()
        .where('id', '=', 'gateway')
        .executeTakeFirst();
      if (row) return keysOf({ certPem: row.ca_cert_pem, keyPem: row.ca_key_pem }, row.serving_key_pem);

      const now = this.clock();
      const ca = await createGatewayCa(now);
      const servingKeyPem = await createServingKey();
      const keys = keysOf(ca, servingKeyPem);
      await q
        .insertInto('gateway_keys')
        .values({
          id: 'gateway',
          ca_cert_pem: ca.certPem,
          ca_key_pem: ca.keyPem,
          serving_key_pem: servingKeyPem,
        })
        .execute();
      await this.handler.handle(
        GATEWAY_CA_STREAM,
        {
          type: 'PublishGatewayCa',
          caCertPem: ca.certPem,
          caHash: keys.caHash,
          servingKeyPin: keys.servingKeyPin,
          notAfter: notAfterOf(ca.certPem),
          at: now.toISOString(),
        },
        { trx, metadata: { actor: 'tunnel' } },
      );
      return keys;
    });
  }
}

function keysOf(ca: GatewayCa, servingKeyPem: string): GatewayKeys {
  return { ca, servingKeyPem, caHash: caHashOf(ca.certPem), servingKeyPin: keyPinOf(servingKeyPem) };
}
