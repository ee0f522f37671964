import { sql, type Migration } from 'kysely';

/**
 * nodepool's own tables (the event store's come first, from libs/eventstore). Frozen once applied:
 * change them only by adding a migration.
 *
 * Fed by nodepool's own events (inline projections, rebuildable from position 0):
 *   proj_units             one row per live NodeUnit: the folded aggregate state (spec, members, Kins)
 *   proj_groups            one row per live NodeGroup: spec and resolved units
 *   proj_node_membership   the layer nodepool last published per node (NodeMembershipChanged)
 * Fed by other services' events (consumers; the inbox makes them idempotent):
 *   proj_clusters          ClusterCreated/ClusterDeleted: name ↔ id, version, runtime, CIDRs
 *   proj_nodes             NodeJoined/NodeLabelsChanged/NodeRemoved: the OPERATOR label layer
 *   proj_node_health       NodeVerdictChanged: the health-arbiter's latest verdict per node
 */
export function nodepoolMigrations(schema: string): Record<string, Migration> {
  const t = (name: string) => sql.id(schema, name);
  return {
    '2026_11_27_1000_nodepool_projections': {
      async up(db) {
        await sql`
          CREATE TABLE ${t('proj_units')} (
            cluster_id text NOT NULL,
            name text NOT NULL,
            state jsonb NOT NULL,
            last_position bigint NOT NULL,
            PRIMARY KEY (cluster_id, name)
          )`.execute(db);
        await sql`
          CREATE TABLE ${t('proj_groups')} (
            cluster_id text NOT NULL,
            name text NOT NULL,
            state jsonb NOT NULL,
            last_position bigint NOT NULL,
            PRIMARY KEY (cluster_id, name)
          )`.execute(db);
        await sql`
          CREATE TABLE ${t('proj_node_membership')} (
            cluster_id text NOT NULL,
            node text NOT NULL,
            layer jsonb NOT NULL,
            last_position bigint NOT NULL,
            PRIMARY KEY (cluster_id, node)
          )`.execute(db);
        await sql`
          CREATE TABLE ${t('proj_clusters')} (
            cluster_id text PRIMARY KEY,
            name text NOT NULL,
            kubernetes_version text NOT NULL,
            runtime text NOT NULL,
            pod_cidr text,
            service_cidr text,
            deleted boolean NOT NULL DEFAULT false,
            created_at text NOT NULL
          )`.execute(db);
        await sql`CREATE INDEX proj_clusters_name_idx ON ${t('proj_clusters')} (name) WHERE NOT deleted`.execute(
          db,
        );
        await sql`
          CREATE TABLE ${t('proj_nodes')} (
            cluster_id text NOT NULL,
            name text NOT NULL,
            labels jsonb NOT NULL,
            joined_at text NOT NULL,
            PRIMARY KEY (cluster_id, name)
          )`.execute(db);
        await sql`
          CREATE TABLE ${t('proj_node_health')} (
            cluster_id text NOT NULL,
            node text NOT NULL,
            verdict text NOT NULL,
            at text NOT NULL,
            PRIMARY KEY (cluster_id, node)
          )`.execute(db);
      },
      async down(db) {
        for (const name of [
          'proj_node_health',
          'proj_nodes',
          'proj_clusters',
          'proj_node_membership',
          'proj_groups',
          'proj_units',
        ]) {
          await sql`DROP TABLE IF EXISTS ${t(name)}`.execute(db);
        }
      },
    },
  };
}
