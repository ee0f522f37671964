import { Inject, Injectable } from '@nestjs/common';
import { AggregateHandler, type Db, type EventStore } from '@edgeplane/eventstore';
import {
  CONFIG,
  DB,
  EVENT_STORE,
  loadKeyring,
  SCHEMA,
  sweepSealedTable,
  type Keyring,
  type SealedSecret,
} from '@edgeplane/service-kit';
import { sql } from 'kysely';
import type { TunnelConfig } from '../config.js';
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

type GatewayKeyName = 'ca_key' | 'serving_key';

/** The AEAD context of a sealed gateway key (a sealed key moved to the other column does not open). */
export function gatewayKeyContext(id: string, which: GatewayKeyName): string {
  return `gateway_keys/${id}/${which}`;
}

/**
 * Makes the gateway CA and the serving key at the first start of any replica and publishes the
 * pins (GatewayCaPublished); later starts load them. Replicas starting together take turns on a
 * transaction-scoped advisory lock, so exactly one CA is ever made. The private keys are sealed
 * under the key-encryption key (service-kit secrets); each start first seals what an older version
 * left in plaintext, re-wraps records under an older KEK and fails on a KEK that does not open them.
 */
@Injectable()
export class GatewayCaHandler {
  private readonly handler: AggregateHandler<GatewayCaState, GatewayCaCommand, GatewayCaEvent>;

  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(SCHEMA) private readonly schema: string,
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CONFIG) config: TunnelConfig,
  ) {
    this.handler = new AggregateHandler(store, gatewayCaDecider);
    // checked already when the config was parsed (a missing or bad KEK refuses the start there)
    this.keyring = loadKeyring(config);
  }

  private readonly keyring: Keyring;

  private seal(id: string, which: GatewayKeyName, pem: string): string {
    return JSON.stringify(this.keyring.seal(pem, gatewayKeyContext(id, which)));
  }

  private open(
    id: string,
    which: GatewayKeyName,
    sealed: SealedSecret | null,
    legacy: string | null,
  ): string {
    if (sealed) return this.keyring.open(sealed, gatewayKeyContext(id, which));
    if (legacy !== null) return legacy;
    throw new Error(`gateway_keys ${id} has no ${which}`);
  }

  async ensure(): Promise<GatewayKeys> {
    await sweepSealedTable(this.db, this.keyring, {
      schema: this.schema,
      table: 'gateway_keys',
      key: ['id'],
      columns: (['ca_key', 'serving_key'] as const).map((which) => ({
        plain: `${which}_pem`,
        sealed: `${which}_sealed`,
        context: (k: Record<string, string>) => gatewayKeyContext(k.id!, which),
      })),
    });
    return this.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`${this.schema}:gateway-ca`}))`.execute(trx);
      const q = inSchema(trx, this.schema);
      const row = await q
        .selectFrom('gateway_keys')
        .selectAll()
        .where('id', '=', 'gateway')
        .executeTakeFirst();
      if (row)
        return keysOf(
          {
            certPem: row.ca_cert_pem,
            keyPem: this.open(row.id, 'ca_key', row.ca_key_sealed, row.ca_key_pem),
          },
          this.open(row.id, 'serving_key', row.serving_key_sealed, row.serving_key_pem),
        );

      const now = this.clock();
      const ca = await createGatewayCa(now);
      const servingKeyPem = await createServingKey();
      const keys = keysOf(ca, servingKeyPem);
      await q
        .insertInto('gateway_keys')
        .values({
          id: 'gateway',
          ca_cert_pem: ca.certPem,
          ca_key_sealed: this.seal('gateway', 'ca_key', ca.keyPem),
          serving_key_sealed: this.seal('gateway', 'serving_key', servingKeyPem),
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
