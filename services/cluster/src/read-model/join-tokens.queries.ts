import type { Selectable } from 'kysely';
import type { ProjJoinTokensTable } from '../db/proj-join-tokens.table.js';
import type { SchemaQueries } from '../db/database.js';
import type { JoinTokenSummary } from '../join-token/join-token.views.js';

export async function listTokens(q: SchemaQueries, clusterId: string): Promise<JoinTokenSummary[]> {
  const rows = await q
    .selectFrom('proj_join_tokens')
    .selectAll()
    .where('cluster_id', '=', clusterId)
    .orderBy('created_at')
    .execute();
  return rows.map(toSummary);
}

export async function findToken(q: SchemaQueries, tokenId: string): Promise<JoinTokenSummary | undefined> {
  const row = await q
    .selectFrom('proj_join_tokens')
    .selectAll()
    .where('token_id', '=', tokenId)
    .executeTakeFirst();
  return row ? toSummary(row) : undefined;
}

function toSummary(r: Selectable<ProjJoinTokensTable>): JoinTokenSummary {
  return {
    tokenId: r.token_id,
    clusterId: r.cluster_id,
    status: r.status,
    ttlSeconds: r.ttl_seconds,
    createdAt: r.created_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    revokedAt: r.revoked_at ? r.revoked_at.toISOString() : null,
    containerDir: r.container_dir,
    hasPreInstallScript: r.has_pre_install_script,
    hasPostInstallScript: r.has_post_install_script,
    redeemedBy: r.redeemed_by,
  };
}
