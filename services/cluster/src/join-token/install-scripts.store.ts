import { Inject, Injectable } from '@nestjs/common';
import { JoinTokenCreatedV1, type InstallScriptRefData } from '@edgeplane/contracts';
import { IllegalStateError } from '@edgeplane/es-kit';
import type { Db, Trx } from '@edgeplane/eventstore';
import { DB, KEYRING, SCHEMA, type Keyring } from '@edgeplane/service-kit';
import { sql } from 'kysely';
import { inSchema } from '../db/database.js';
import { scriptRef } from './join-token.decide.js';

export type ScriptKind = 'pre' | 'post';

/** The AEAD context of a sealed script: it opens only as this token's script of this kind. */
export function installScriptContext(tokenId: string, kind: ScriptKind): string {
  return `join_token_scripts/${tokenId}/${kind}`;
}

/**
 * A join token's pre/post-install scripts (`join_token_scripts`), sealed under the KEK. The events
 * carry only SHA-256 and size (JoinTokenCreated@v2); the text is written in the transaction that
 * appends the token's creation, handed only to a node redeeming the token, and deleted with the
 * cluster.
 */
@Injectable()
export class InstallScriptStore {
  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(SCHEMA) private readonly schema: string,
    @Inject(KEYRING) private readonly keyring: Keyring,
  ) {}

  async put(trx: Trx, tokenId: string, clusterId: string, kind: ScriptKind, text: string): Promise<void> {
    const ref = scriptRef(text)!;
    await inSchema(trx, this.schema)
      .insertInto('join_token_scripts')
      .values({
        token_id: tokenId,
        kind,
        cluster_id: clusterId,
        sha256: ref.sha256,
        bytes: ref.bytes,
        script_sealed: JSON.stringify(this.keyring.seal(text, installScriptContext(tokenId, kind))),
      })
      .onConflict((oc) => oc.columns(['token_id', 'kind']).doNothing())
      .execute();
  }

  /** The script the token's event refers to ('' when none); its text must hash to the reference. */
  async get(trx: Trx, tokenId: string, kind: ScriptKind, ref: InstallScriptRefData | null): Promise<string> {
    if (!ref) return '';
    const row = await inSchema(trx, this.schema)
      .selectFrom('join_token_scripts')
      .select(['script_sealed'])
      .where('token_id', '=', tokenId)
      .where('kind', '=', kind)
      .executeTakeFirst();
    const text = row ? this.keyring.open(row.script_sealed, installScriptContext(tokenId, kind)) : undefined;
    if (text === undefined || scriptRef(text)?.sha256 !== ref.sha256)
      throw new IllegalStateError(
        `the ${kind}-install script of join token ${tokenId} is not in the script store`,
      );
    return text;
  }

  async deleteCluster(trx: Trx, clusterId: string): Promise<void> {
    await inSchema(trx, this.schema)
      .deleteFrom('join_token_scripts')
      .where('cluster_id', '=', clusterId)
      .execute();
  }

  /**
   * Tokens created before v2 carried their scripts in JoinTokenCreated@v1: copy them (sealed) into
   * the store once, for tokens of live clusters, so their redemption still hands them out. Reads the
   * raw rows (the event store upcasts v1, dropping the text). Idempotent.
   */
  async backfillFromV1(): Promise<number> {
    const { rows } = await sql<{ data: unknown }>`
      SELECT e.data FROM ${sql.id(this.schema, 'events')} e
      WHERE e.type = ${JoinTokenCreatedV1.type} AND e.schema_version = ${JoinTokenCreatedV1.version}
        AND (e.data->>'preInstallScript' IS NOT NULL OR e.data->>'postInstallScript' IS NOT NULL)
        AND EXISTS (SELECT 1 FROM ${sql.id(this.schema, 'proj_clusters')} c WHERE c.cluster_id = e.data->>'clusterId')
        AND NOT EXISTS (SELECT 1 FROM ${sql.id(this.schema, 'join_token_scripts')} s WHERE s.token_id = e.data->>'tokenId')`.execute(
      this.db,
    );
    if (rows.length === 0) return 0;
    let copied = 0;
    await this.db.transaction().execute(async (trx) => {
      for (const { data } of rows) {
        const v1 = JoinTokenCreatedV1.schema.parse(data);
        for (const [kind, text] of [
          ['pre', v1.preInstallScript],
          ['post', v1.postInstallScript],
        ] as const) {
          if (!text) continue;
          await this.put(trx, v1.tokenId, v1.clusterId, kind, text);
          copied++;
        }
      }
    });
    return copied;
  }
}
