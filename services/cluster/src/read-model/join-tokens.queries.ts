import { pageOf, type PageRequest } from '@edgeplane/service-kit';
import { sql, type Selectable } from 'kysely';
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

/** One page of a cluster's join tokens, oldest first (keyset: created_at, token_id). */
export async function listTokensPage(
  q: SchemaQueries,
  clusterId: string,
  page: PageRequest,
): Promise<{ items: JoinTokenSummary[]; nextPageToken: string }> {
  let query = q
    .selectFrom('proj_join_tokens')
    .selectAll()
    .select(sql<string>`created_at::text`.as('at'))
    .where('cluster_id', '=', clusterId)
    .orderBy('created_at')
    .orderBy('token_id')
    .limit(page.limit + 1);
  if (page.after) {
    const [at, id] = page.after;
    query = query.where(sql<boolean>`(created_at, token_id) > (${String(at)}::timestamptz, ${String(id)})`);
  }
  const { items, nextPageToken } = pageOf(await query.execute(), page, (r) => [r.at, r.token_id]);
  return { items: items.map(toSummary), nextPageToken };
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
