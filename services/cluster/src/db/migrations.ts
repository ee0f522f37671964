import { sql, type Migration } from 'kysely';

/**
 * The cluster service's own tables (the event store's come first, from libs/eventstore). Frozen
 * once applied: change the schema only by adding a migration to this static index.
 *
 * proj_clusters    read model of live clusters (inline projection; the row is gone once deleted)
 * proj_join_tokens read model of join tokens (inline projection; no secret, only flags for scripts)
 * proj_nodes       read model of present nodes: operator + per-owner system labels and taints,
 *                  cordons, drain, credential (inline projection)
 * node_conditions  the Ready condition the health-arbiter decides (written by the verdict consumer;
 *                  another service's fact, so it is not rebuilt from this service's log)
 * cluster_keys     the key store: CA private key and the admin credential's key, sealed (envelope
 *                  encryption under the KEK, 2026_11_28_1700; the *_pem key columns are only read
 *                  to seal what an older version left). Never in an event.
 * join_token_scripts a token's pre/post-install scripts, sealed; JoinTokenCreated@v2 carries only
 *                  their SHA-256 and size, the join endpoint hands them to a redeeming node
 * gateway_cas      the gateway CAs the tunnel service published (GatewayCaPublished consumer); the
 *                  join command pins the one the join server presents
 */
export function clusterMigrations(schema: string): Record<string, Migration> {
  const t = (name: string) => sql.id(schema, name);
  return {
    '2026_11_27_1000_cluster_read_models': {
      async up(db) {
        await sql`
          CREATE TABLE ${t('proj_clusters')} (
            cluster_id text PRIMARY KEY,
            name text NOT NULL,
            region text NOT NULL,
            vpc_id text,
            vpc_cidr text NOT NULL,
            pod_cidr text NOT NULL,
            service_cidr text NOT NULL,
            created_at timestamptz NOT NULL,
            state jsonb NOT NULL,
            last_position bigint NOT NULL
          )`.execute(db);
        // Live cluster names are unique; the handler checks first, this settles a race.
        await sql`CREATE UNIQUE INDEX proj_clusters_name_uq ON ${t('proj_clusters')} (name)`.execute(db);
        await sql`CREATE INDEX proj_clusters_vpc_idx ON ${t('proj_clusters')} (vpc_id, vpc_cidr)`.execute(db);
        await sql`
          CREATE TABLE ${t('proj_join_tokens')} (
            token_id text PRIMARY KEY,
            cluster_id text NOT NULL,
            status text NOT NULL,
            ttl_seconds integer NOT NULL,
            created_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL,
            revoked_at timestamptz,
            container_dir text NOT NULL,
            has_pre_install_script boolean NOT NULL,
            has_post_install_script boolean NOT NULL,
            redeemed_by jsonb NOT NULL DEFAULT '[]'::jsonb,
            last_position bigint NOT NULL
          )`.execute(db);
        await sql`CREATE INDEX proj_join_tokens_cluster_idx ON ${t('proj_join_tokens')} (cluster_id, created_at)`.execute(
          db,
        );
        await sql`
          CREATE TABLE ${t('proj_nodes')} (
            cluster_id text NOT NULL,
            node_name text NOT NULL,
            joined_at timestamptz NOT NULL,
            schedulable boolean NOT NULL,
            state jsonb NOT NULL,
            last_position bigint NOT NULL,
            PRIMARY KEY (cluster_id, node_name)
          )`.execute(db);
        await sql`
          CREATE TABLE ${t('node_conditions')} (
            cluster_id text NOT NULL,
            node_name text NOT NULL,
            type text NOT NULL,
            status text NOT NULL,
            reason text NOT NULL,
            message text NOT NULL,
            last_transition_at timestamptz NOT NULL,
            PRIMARY KEY (cluster_id, node_name, type)
          )`.execute(db);
        await sql`
          CREATE TABLE ${t('cluster_keys')} (
            cluster_id text PRIMARY KEY,
            ca_cert_pem text NOT NULL,
            ca_key_pem text NOT NULL,
            admin_cert_pem text NOT NULL,
            admin_key_pem text NOT NULL,
            admin_serial text NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now()
          )`.execute(db);
      },
      async down(db) {
        for (const name of [
          'cluster_keys',
          'node_conditions',
          'proj_nodes',
          'proj_join_tokens',
          'proj_clusters',
        ]) {
          await sql`DROP TABLE IF EXISTS ${t(name)}`.execute(db);
        }
      },
    },
    '2026_11_28_1500_gateway_cas': {
      async up(db) {
        await sql`
          CREATE TABLE ${t('gateway_cas')} (
            ca_hash text PRIMARY KEY,
            ca_cert_pem text NOT NULL,
            serving_key_pin text NOT NULL,
            not_after timestamptz NOT NULL,
            published_at timestamptz NOT NULL
          )`.execute(db);
      },
      async down(db) {
        await sql`DROP TABLE IF EXISTS ${t('gateway_cas')}`.execute(db);
      },
    },
    '2026_11_28_1600_foreign_layer_versions': {
      async up(db) {
        // the highest source-stream version applied per node and foreign layer (full-state
        // events: nodepool's membership, the arbiter's verdict), so an older one never wins
        await sql`
          CREATE TABLE ${t('foreign_layer_versions')} (
            cluster_id text NOT NULL,
            node_name text NOT NULL,
            source text NOT NULL,
            version integer NOT NULL,
            PRIMARY KEY (cluster_id, node_name, source)
          )`.execute(db);
      },
      async down(db) {
        await sql`DROP TABLE IF EXISTS ${t('foreign_layer_versions')}`.execute(db);
      },
    },
    '2026_11_28_1700_sealed_secrets': {
      async up(db) {
        // The start-up sweep (pki/secrets-at-rest.ts) seals the plaintext left in the *_pem key
        // columns and clears them; it needs the KEK, so it is code, not SQL.
        await sql`
          ALTER TABLE ${t('cluster_keys')}
            ADD COLUMN ca_key_sealed jsonb,
            ADD COLUMN admin_key_sealed jsonb,
            ALTER COLUMN ca_key_pem DROP NOT NULL,
            ALTER COLUMN admin_key_pem DROP NOT NULL,
            ADD CONSTRAINT cluster_keys_ca_key_ck CHECK (ca_key_sealed IS NOT NULL OR ca_key_pem IS NOT NULL),
            ADD CONSTRAINT cluster_keys_admin_key_ck CHECK (admin_key_sealed IS NOT NULL OR admin_key_pem IS NOT NULL)`.execute(
          db,
        );
        await sql`
          CREATE TABLE ${t('join_token_scripts')} (
            token_id text NOT NULL,
            kind text NOT NULL CHECK (kind IN ('pre', 'post')),
            cluster_id text NOT NULL,
            sha256 text NOT NULL,
            bytes integer NOT NULL,
            script_sealed jsonb NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (token_id, kind)
          )`.execute(db);
        await sql`CREATE INDEX join_token_scripts_cluster_idx ON ${t('join_token_scripts')} (cluster_id)`.execute(
          db,
        );
      },
      async down(db) {
        // Sealed keys cannot go back to plaintext without the KEK: refuse rather than lose them.
        const { rows } = await sql<{ n: number }>`
          SELECT count(*)::int AS n FROM ${t('cluster_keys')} WHERE ca_key_pem IS NULL OR admin_key_pem IS NULL`.execute(
          db,
        );
        if ((rows[0]?.n ?? 0) > 0)
          throw new Error('cluster_keys holds sealed keys; a down migration would lose them');
        await sql`DROP TABLE IF EXISTS ${t('join_token_scripts')}`.execute(db);
        await sql`
          ALTER TABLE ${t('cluster_keys')}
            DROP CONSTRAINT cluster_keys_ca_key_ck,
            DROP CONSTRAINT cluster_keys_admin_key_ck,
            DROP COLUMN ca_key_sealed,
            DROP COLUMN admin_key_sealed,
            ALTER COLUMN ca_key_pem SET NOT NULL,
            ALTER COLUMN admin_key_pem SET NOT NULL`.execute(db);
      },
    },
  };
}
