import type { Generated, JSONColumnType } from 'kysely';
import type { SealedSecret } from '@edgeplane/service-kit';

/**
 * `join_token_scripts`: a join token's pre/post-install scripts, sealed. The events carry only
 * their SHA-256 and size (JoinTokenCreated@v2); the text is handed to a node redeeming the token.
 */
export interface JoinTokenScriptsTable {
  token_id: string;
  kind: 'pre' | 'post';
  cluster_id: string;
  sha256: string;
  bytes: number;
  script_sealed: JSONColumnType<SealedSecret, string, string>;
  created_at: Generated<Date>;
}
