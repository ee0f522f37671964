import { Inject, Injectable } from '@nestjs/common';
import type { Db, Trx } from '@edgeplane/eventstore';
import { DB, SCHEMA } from '@edgeplane/service-kit';
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

/**
 * The key store (`cluster_keys`): the cluster CA's private key and the current admin credential's
 * key. Written in the same transaction as the events that announce the certificates, never
 * published, deleted with the cluster (F-CL-7: nothing can be signed for it any more).
 */
@Injectable()
export class KeyStore {
  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(SCHEMA) private readonly schema: string,
  ) {}

  async create(trx: Trx, keys: ClusterKeys): Promise<void> {
    await inSchema(trx, this.schema)
      .insertInto('cluster_keys')
      .values({
        cluster_id: keys.clusterId,
        ca_cert_pem: keys.caCertPem,
        ca_key_pem: keys.caKeyPem,
        admin_cert_pem: keys.adminCertPem,
        admin_key_pem: keys.adminKeyPem,
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
        admin_key_pem: admin.keyPem,
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
      caKeyPem: row.ca_key_pem,
      adminCertPem: row.admin_cert_pem,
      adminKeyPem: row.admin_key_pem,
      adminSerial: row.admin_serial,
    };
  }

  async delete(trx: Trx, clusterId: string): Promise<void> {
    await inSchema(trx, this.schema).deleteFrom('cluster_keys').where('cluster_id', '=', clusterId).execute();
  }
}
