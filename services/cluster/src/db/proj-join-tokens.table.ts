import type { ColumnType, JSONColumnType } from 'kysely';

/** `proj_join_tokens`: join tokens as read paths show them — no secret, only flags for the scripts. */
export interface ProjJoinTokensTable {
  token_id: string;
  cluster_id: string;
  status: 'issued' | 'revoked';
  ttl_seconds: number;
  created_at: ColumnType<Date, string, string>;
  expires_at: ColumnType<Date, string, string>;
  revoked_at: ColumnType<Date | null, string | null, string | null>;
  container_dir: string;
  has_pre_install_script: boolean;
  has_post_install_script: boolean;
  /** node names in redemption order (jsonb array, default `[]`) */
  redeemed_by: JSONColumnType<string[], string | undefined, string>;
  last_position: number;
}
