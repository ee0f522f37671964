import { sql, type Migration } from 'kysely';

/**
 * The health-arbiter's own tables (the event store's come first, from libs/eventstore). Frozen
 * once applied: change them only by adding a migration.
 *
 * proj_health_clusters  ClusterCreated/ClusterDeleted (consumer): resolve a cluster by name or id
 * proj_health_nodes     the node set with NodeUnits (consumer: NodeJoined/NodeRemoved + nodepool's
 *                       NodeMembershipChanged); membership may arrive before the join, so a row
 *                       can exist with present = false
 * proj_health_settings  per-cluster settings (inline: HealthSettingsChanged, UnitHealthCheckSwitched)
 * proj_verdicts         latest verdict + evidence per node and its stream version (inline)
 * proj_verdict_history  every verdict change, for ExplainNode's history after a restart (inline)
 * proj_health_nodes.units_version  the node-membership stream version of `units` (full-state
 *                       events: an older one delivered late never overwrites a newer one)
 * health_partition_fences  per signal partition, the lease epoch of the instance judging it: every
 *                       verdict append checks it in its transaction (runtime/partition-leases.ts)
 */
export function healthArbiterMigrations(schema: string): Record<string, Migration> {
  const t = (name: string) => sql.id(schema, name);
  return {
    '2026_11_27_1400_health_arbiter_read_models': {
      async up(db) {
        await sql`
          CREATE TABLE ${t('proj_health_clusters')} (
            cluster_id text PRIMARY KEY,
            name text NOT NULL,
            deleted boolean NOT NULL DEFAULT false,
            created_at timestamptz NOT NULL
          )`.execute(db);
        await sql`CREATE INDEX proj_health_clusters_name_idx ON ${t('proj_health_clusters')} (name) WHERE NOT deleted`.execute(
          db,
        );
        await sql`
          CREATE TABLE ${t('proj_health_nodes')} (
            cluster_id text NOT NULL,
            node text NOT NULL,
            present boolean NOT NULL DEFAULT false,
            joined_at timestamptz,
            units text[] NOT NULL DEFAULT '{}',
            PRIMARY KEY (cluster_id, node)
          )`.execute(db);
        await sql`
          CREATE TABLE ${t('proj_health_settings')} (
            cluster_id text PRIMARY KEY,
            multi_region boolean NOT NULL,
            no_eviction boolean NOT NULL,
            grace_seconds integer NOT NULL,
            vote_ttl_seconds integer NOT NULL,
            disabled_units text[] NOT NULL DEFAULT '{}',
            changed_by text NOT NULL,
            changed_at timestamptz NOT NULL,
            last_position bigint NOT NULL
          )`.execute(db);
        await sql`
          CREATE TABLE ${t('proj_verdicts')} (
            cluster_id text NOT NULL,
            node text NOT NULL,
            verdict text NOT NULL,
            previous text,
            rule text NOT NULL,
            since timestamptz NOT NULL,
            taints jsonb NOT NULL,
            condition jsonb NOT NULL,
            evidence jsonb NOT NULL,
            stream_version integer NOT NULL,
            last_position bigint NOT NULL,
            PRIMARY KEY (cluster_id, node)
          )`.execute(db);
        await sql`
          CREATE TABLE ${t('proj_verdict_history')} (
            cluster_id text NOT NULL,
            node text NOT NULL,
            position bigint NOT NULL,
            at timestamptz NOT NULL,
            verdict text NOT NULL,
            previous text,
            rule text NOT NULL,
            PRIMARY KEY (cluster_id, node, position)
          )`.execute(db);
      },
      async down(db) {
        for (const name of [
          'proj_verdict_history',
          'proj_verdicts',
          'proj_health_settings',
          'proj_health_nodes',
          'proj_health_clusters',
        ]) {
          await sql`DROP TABLE IF EXISTS ${t(name)}`.execute(db);
        }
      },
    },
    '2026_11_28_1100_health_partition_fences': {
      async up(db) {
        await sql`ALTER TABLE ${t('proj_health_nodes')} ADD COLUMN units_version integer`.execute(db);
        await sql`
          CREATE TABLE ${t('health_partition_fences')} (
            partition smallint PRIMARY KEY,
            epoch bigint NOT NULL,
            holder text NOT NULL,
            taken_at timestamptz NOT NULL DEFAULT now()
          )`.execute(db);
      },
      async down(db) {
        await sql`DROP TABLE IF EXISTS ${t('health_partition_fences')}`.execute(db);
        await sql`ALTER TABLE ${t('proj_health_nodes')} DROP COLUMN IF EXISTS units_version`.execute(db);
      },
    },
  };
}
