import { ClusterDeleted } from '@edgeplane/contracts';
import { defineProjection } from '@edgeplane/eventstore';
import { inSchema } from '../db/database.js';
import { JOIN_TOKEN_EVENTS } from '../join-token/join-token.state.js';

/**
 * `proj_join_tokens`: what read paths show of a token (no secret hash, no script text), each
 * event applied to its row; the rows go with their cluster. `last_position` makes a replayed
 * event a no-op.
 */
export function joinTokensProjection(schema: string) {
  return defineProjection({
    name: 'proj_join_tokens',
    tables: ['proj_join_tokens'],
    events: [...JOIN_TOKEN_EVENTS, ClusterDeleted],
    async apply(trx, event) {
      const q = inSchema(trx, schema);
      if (event.type === 'ClusterDeleted') {
        await q.deleteFrom('proj_join_tokens').where('cluster_id', '=', event.data.clusterId).execute();
        return;
      }
      const { tokenId } = event.data;
      const row = await q
        .selectFrom('proj_join_tokens')
        .select(['redeemed_by', 'last_position'])
        .where('token_id', '=', tokenId)
        .executeTakeFirst();
      if (row && row.last_position >= event.globalPosition) return;
      const position = event.globalPosition;
      switch (event.type) {
        case 'JoinTokenCreated': {
          const d = event.data;
          await q
            .insertInto('proj_join_tokens')
            .values({
              token_id: tokenId,
              cluster_id: d.clusterId,
              status: 'issued',
              ttl_seconds: d.ttlSeconds,
              created_at: d.createdAt,
              expires_at: d.expiresAt,
              revoked_at: null,
              container_dir: d.containerDir,
              has_pre_install_script: d.preInstallScript !== null,
              has_post_install_script: d.postInstallScript !== null,
              redeemed_by: JSON.stringify([]),
              last_position: position,
            })
            .onConflict((oc) =>
              oc.column('token_id').doUpdateSet({
                status: 'issued',
                revoked_at: null,
                redeemed_by: JSON.stringify([]),
                last_position: position,
              }),
            )
            .execute();
          return;
        }
        case 'JoinTokenRevoked':
          // A token whose cluster was deleted has no row left to change.
          await q
            .updateTable('proj_join_tokens')
            .set({ status: 'revoked', revoked_at: event.data.revokedAt, last_position: position })
            .where('token_id', '=', tokenId)
            .execute();
          return;
        case 'JoinTokenRedeemed':
          if (!row) return;
          await q
            .updateTable('proj_join_tokens')
            .set({
              redeemed_by: JSON.stringify([...row.redeemed_by, event.data.nodeName]),
              last_position: position,
            })
            .where('token_id', '=', tokenId)
            .execute();
          return;
      }
    },
  });
}
