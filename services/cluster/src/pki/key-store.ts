import { Inject, Injectable } from '@nestjs/common';
import type { Db, Trx } from '@edgeplane/eventstore';
import { DB, KEYRING, SCHEMA, type Keyring, type SealedSecret } from '@edgeplane/service-kit';
import { sql } from 'kysely';
import { inSchema } from '../db/database.js';

export interface ClusterKeys {
  clusterId: string;
  caCertPem: string;
  caKeyPem: string;
  adminCertPem: string;
  adminKeyPem: string;
  adminSerial: string;
}

/** The AEAD context of a cluster's sealed key: a sealed key copied to another row does not open. */
export function clusterKeyContext(clusterId: string, which: 'ca_key' | 'admin_key'): string {
  return `cluster_keys/${clusterId}/${which}`;
}

/**
 * The key store (`cluster_keys`): the cluster CA's private key and the current admin credential's
 * key, sealed under the key-encryption key (envelope encryption, @edgeplane/service-kit secrets).
 * Written in the same transaction as the events that announce the certificates, never published,
 * deleted with the cluster (F-CL-7: nothing can be signed for it any more).
 */
@Injectable()
export class KeyStore {
  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(SCHEMA) private readonly schema: string,
    @Inject(KEYRING) private readonly keyring: Keyring,
  ) {}

  private seal(clusterId: string, which: 'ca_key' | 'admin_key', pem: string): string {
    return JSON.stringify(this.keyring.seal(pem, clusterKeyContext(clusterId, which)));
  }

  /** The sealed key, or the plaintext an older version left until the start-up sweep seals it. */
  private open(
    clusterId: string,
    which: 'ca_key' | 'admin_key',
    sealed: SealedSecret | null,
    legacy: string | null,
  ): string {
    if (sealed) return this.keyring.open(sealed, clusterKeyContext(clusterId, which));
    if (legacy !== null) return legacy;
    throw new Error(`cluster_keys of ${clusterId} has no ${which}`);
  }

  async create(trx: Trx, keys: ClusterKeys): Promise<void> {
    await inSchema(trx, this.schema)
      .insertInto('cluster_keys')
      .values({
        cluster_id: keys.clusterId,
        ca_cert_pem: keys.caCertPem,
        ca_key_sealed: this.seal(keys.clusterId, 'ca_key', keys.caKeyPem),
        admin_cert_pem: keys.adminCertPem,
        admin_key_sealed: this.seal(keys.clusterId, 'admin_key', keys.adminKeyPem),
        admin_serial: keys.adminSerial,
      })
      .execute();
  }

  async replaceAdmin(
    trx: Trx,
    clusterId: string,
    admin: { certPem: string; keyPem: string; serial: string },
  ): Promise<void> {
    await inSchema(trx, this.schema)
      .updateTable('cluster_keys')
      .set({
        admin_cert_pem: admin.certPem,
        admin_key_sealed: this.seal(clusterId, 'admin_key', admin.keyPem),
        admin_key_pem: null,
        admin_serial: admin.serial,
        updated_at: sql<Date>`now()`,
      })
      .where('cluster_id', '=', clusterId)
      .execute();
  }

  async get(clusterId: string, trx?: Trx): Promise<ClusterKeys | undefined> {
    const row = await inSchema(trx ?? this.db, this.schema)
      .selectFrom('cluster_keys')
      .selectAll()
      .where('cluster_id', '=', clusterId)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      clusterId,
      caCertPem: row.ca_cert_pem,
      caKeyPem: this.open(clusterId, 'ca_key', row.ca_key_sealed, row.ca_key_pem),
      adminCertPem: row.admin_cert_pem,
      adminKeyPem: this.open(clusterId, 'admin_key', row.admin_key_sealed, row.admin_key_pem),
      adminSerial: row.admin_serial,
    };
  }

  async delete(trx: Trx, clusterId: string): Promise<void> {
    await inSchema(trx, this.schema).deleteFrom('cluster_keys').where('cluster_id', '=', clusterId).execute();
  }
}
