import { sql, type Migration } from 'kysely';

/**
 * The tunnel service's own tables (the event store's come first, from libs/eventstore). Frozen
 * once applied: change them only by adding a migration.
 *
 * gateway_keys               the gateway CA and the shared serving key (one row, id 'gateway'),
 *                            the private keys sealed under the KEK (2026_11_28_1700)
 * proj_tunnel_clusters       ClusterCreated/ClusterDeleted/ClusterRemoteLoginChanged (consumer)
 * proj_tunnel_nodes          NodeJoined/NodeCredentialIssued/NodeRemoved + NodeMembershipChanged (consumers)
 * proj_tunnel_health_scopes  HealthSettingsChanged/UnitHealthCheckSwitched (consumer)
 * proj_tunnel_connections    NodeConnected/NodeDisconnected (inline)
 * proj_tunnel_node_pods      NodePodsAssigned (consumer): the pods each node's agent is told to run
 * proj_tunnel_service_grids  GridApplied/GridDeleted of ServiceGrids (consumer): name, namespace, ports
 * proj_tunnel_unit_services  ServiceEndpointsChanged (consumer): each ServiceGrid's ready endpoints per unit
 *
 * Replicas share the consumers' durables, so two events of one aggregate can be applied by two
 * replicas at once, in either order. Each fact therefore carries the position (in its source
 * stream) of the event that set it, and an older event never overwrites a newer fact
 * (2026_11_28_1300).
 */
export function tunnelMigrations(schema: string): Record<string, Migration> {
  const t = (name: string) => sql.id(schema, name);
  return {
    '2026_11_28_1200_tunnel_gateway': {
      async up(db) {
        await sql`
          CREATE TABLE ${t('gateway_keys')} (
            id text PRIMARY KEY,
            ca_cert_pem text NOT NULL,
            ca_key_pem text NOT NULL,
            serving_key_pem text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now()
          )`.execute(db);
        await sql`
          CREATE TABLE ${t('proj_tunnel_clusters')} (
            cluster_id text PRIMARY KEY,
            name text NOT NULL,
            ca_cert_pem text NOT NULL,
            remote_login boolean NOT NULL DEFAULT false,
            deleted boolean NOT NULL DEFAULT false,
            updated_at timestamptz NOT NULL DEFAULT now()
          )`.execute(db);
        await sql`CREATE INDEX proj_tunnel_clusters_name_idx ON ${t('proj_tunnel_clusters')} (name) WHERE NOT deleted`.execute(
          db,
        );
        await sql`
          CREATE TABLE ${t('proj_tunnel_nodes')} (
            cluster_id text NOT NULL,
            node text NOT NULL,
            present boolean NOT NULL DEFAULT false,
            ips text[] NOT NULL DEFAULT '{}',
            units text[] NOT NULL DEFAULT '{}',
            credential_serial text,
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (cluster_id, node)
          )`.execute(db);
        await sql`
          CREATE TABLE ${t('proj_tunnel_health_scopes')} (
            cluster_id text PRIMARY KEY,
            multi_region boolean NOT NULL DEFAULT false,
            disabled_units text[] NOT NULL DEFAULT '{}',
            updated_at timestamptz NOT NULL DEFAULT now()
          )`.execute(db);
        await sql`
          CREATE TABLE ${t('proj_tunnel_connections')} (
            cluster_id text NOT NULL,
            node text NOT NULL,
            stream_version integer NOT NULL,
            connected boolean NOT NULL,
            session_id text NOT NULL,
            replica text NOT NULL,
            agent_version text NOT NULL,
            ips text[] NOT NULL,
            probe_port integer NOT NULL,
            since timestamptz NOT NULL,
            last_position bigint NOT NULL,
            PRIMARY KEY (cluster_id, node)
          )`.execute(db);
        await sql`CREATE INDEX proj_tunnel_connections_replica_idx ON ${t('proj_tunnel_connections')} (replica) WHERE connected`.execute(
          db,
        );
      },
      async down(db) {
        for (const name of [
          'proj_tunnel_connections',
          'proj_tunnel_health_scopes',
          'proj_tunnel_nodes',
          'proj_tunnel_clusters',
          'gateway_keys',
        ]) {
          await sql`DROP TABLE IF EXISTS ${t(name)}`.execute(db);
        }
      },
    },
    '2026_11_28_1300_tunnel_fact_positions': {
      async up(db) {
        // a cluster's row may be made by any of its events: name and CA arrive with ClusterCreated
        await sql`ALTER TABLE ${t('proj_tunnel_clusters')} ALTER COLUMN name DROP NOT NULL`.execute(db);
        await sql`ALTER TABLE ${t('proj_tunnel_clusters')} ALTER COLUMN ca_cert_pem DROP NOT NULL`.execute(
          db,
        );
        await sql`ALTER TABLE ${t('proj_tunnel_clusters')} ADD COLUMN remote_login_pos integer NOT NULL DEFAULT 0`.execute(
          db,
        );
        await sql`
          ALTER TABLE ${t('proj_tunnel_nodes')}
            ADD COLUMN presence_pos integer NOT NULL DEFAULT 0,
            ADD COLUMN credential_pos integer NOT NULL DEFAULT 0,
            ADD COLUMN units_pos integer NOT NULL DEFAULT 0`.execute(db);
        await sql`
          ALTER TABLE ${t('proj_tunnel_health_scopes')}
            ADD COLUMN multi_region_pos integer NOT NULL DEFAULT 0,
            ADD COLUMN unit_switches jsonb NOT NULL DEFAULT '{}'::jsonb,
            DROP COLUMN disabled_units`.execute(db);
      },
      async down(db) {
        await sql`
          ALTER TABLE ${t('proj_tunnel_health_scopes')}
            DROP COLUMN multi_region_pos,
            DROP COLUMN unit_switches,
            ADD COLUMN disabled_units text[] NOT NULL DEFAULT '{}'`.execute(db);
        await sql`
          ALTER TABLE ${t('proj_tunnel_nodes')}
            DROP COLUMN presence_pos, DROP COLUMN credential_pos, DROP COLUMN units_pos`.execute(db);
        await sql`ALTER TABLE ${t('proj_tunnel_clusters')} DROP COLUMN remote_login_pos`.execute(db);
      },
    },
    '2026_11_28_1700_sealed_gateway_keys': {
      async up(db) {
        // The gateway CA handler seals the plaintext left in the *_pem columns at start (it needs
        // the KEK, so it is code, not SQL) and clears them.
        await sql`
          ALTER TABLE ${t('gateway_keys')}
            ADD COLUMN ca_key_sealed jsonb,
            ADD COLUMN serving_key_sealed jsonb,
            ALTER COLUMN ca_key_pem DROP NOT NULL,
            ALTER COLUMN serving_key_pem DROP NOT NULL,
            ADD CONSTRAINT gateway_keys_ca_key_ck CHECK (ca_key_sealed IS NOT NULL OR ca_key_pem IS NOT NULL),
            ADD CONSTRAINT gateway_keys_serving_key_ck CHECK (serving_key_sealed IS NOT NULL OR serving_key_pem IS NOT NULL)`.execute(
          db,
        );
      },
      async down(db) {
        // Sealed keys cannot go back to plaintext without the KEK: refuse rather than lose them.
        const { rows } = await sql<{ n: number }>`
          SELECT count(*)::int AS n FROM ${t('gateway_keys')} WHERE ca_key_pem IS NULL OR serving_key_pem IS NULL`.execute(
          db,
        );
        if ((rows[0]?.n ?? 0) > 0)
          throw new Error('gateway_keys holds sealed keys; a down migration would lose them');
        await sql`
          ALTER TABLE ${t('gateway_keys')}
            DROP CONSTRAINT gateway_keys_ca_key_ck,
            DROP CONSTRAINT gateway_keys_serving_key_ck,
            DROP COLUMN ca_key_sealed,
            DROP COLUMN serving_key_sealed,
            ALTER COLUMN ca_key_pem SET NOT NULL,
            ALTER COLUMN serving_key_pem SET NOT NULL`.execute(db);
      },
    },
    '2026_11_28_1800_tunnel_node_pods': {
      async up(db) {
        // the node's pods as the tunnel pushes them (PodSpec objects), with the NodePodsAssigned
        // streamVersion that set them (an older assignment never overwrites a newer one)
        await sql`
          CREATE TABLE ${t('proj_tunnel_node_pods')} (
            cluster_id text NOT NULL,
            node text NOT NULL,
            pods jsonb NOT NULL,
            digest text NOT NULL,
            stream_version integer NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (cluster_id, node)
          )`.execute(db);
      },
      async down(db) {
        await sql`DROP TABLE IF EXISTS ${t('proj_tunnel_node_pods')}`.execute(db);
      },
    },
    '2026_11_28_1900_tunnel_unit_services': {
      async up(db) {
        // ServiceGrids as the agents resolve them (SPEC F-GR-3): the Service's name, namespace and
        // ports per grid, the ready endpoints per grid and unit; each row with the position (in
        // the grid's stream) of the event that set it, so an older event never overwrites it
        await sql`
          CREATE TABLE ${t('proj_tunnel_service_grids')} (
            cluster_id text NOT NULL,
            grid text NOT NULL,
            service text NOT NULL,
            namespace text NOT NULL,
            ports jsonb NOT NULL,
            deleted boolean NOT NULL,
            digest text NOT NULL,
            stream_version integer NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (cluster_id, grid)
          )`.execute(db);
        await sql`
          CREATE TABLE ${t('proj_tunnel_unit_services')} (
            cluster_id text NOT NULL,
            grid text NOT NULL,
            unit text NOT NULL,
            service text NOT NULL,
            endpoints jsonb NOT NULL,
            removed boolean NOT NULL,
            digest text NOT NULL,
            stream_version integer NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (cluster_id, grid, unit)
          )`.execute(db);
        await sql`CREATE INDEX ON ${t('proj_tunnel_unit_services')} (cluster_id, unit)`.execute(db);
      },
      async down(db) {
        await sql`DROP TABLE IF EXISTS ${t('proj_tunnel_unit_services')}`.execute(db);
        await sql`DROP TABLE IF EXISTS ${t('proj_tunnel_service_grids')}`.execute(db);
      },
    },
  };
}
