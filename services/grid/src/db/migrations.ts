import { sql, type Migration } from 'kysely';

/**
 * grid's own tables (the event store's come first, from libs/eventstore). Frozen once applied:
 * change them only by adding a migration.
 *
 * Fed by grid's own events (inline projections, rebuildable from position 0):
 *   proj_grids      one row per live grid: the folded aggregate state (manifest, children, pods, rollout)
 *   proj_pods       one row per pod of a live grid: node or Pending reason
 *   proj_node_pods  NodePodsAssigned: the pods each node's agent is told to run
 * Fed by other services' events (consumers; the inbox makes them idempotent):
 *   proj_clusters   ClusterCreated/ClusterDeleted: name ↔ id
 *   proj_nodes      cluster node events (labels, taints, cordons, addresses, drain), nodepool's
 *                   NodeMembershipChanged (units) and the health-arbiter's NodeVerdictChanged
 *   proj_units      NodeUnitCreated/Updated/Deleted: the units' own labels
 *   proj_groups     NodeGroupUnitsChanged/NodeGroupDeleted: each group's resolved units
 *   proj_pod_status NodePodsStatusReported (tunnel): each node's pods as its agent sees them, and
 *                   the node's allocatable as its agent reported it
 */
export function gridMigrations(schema: string): Record<string, Migration> {
  const t = (name: string) => sql.id(schema, name);
  return {
    '2026_11_28_1400_grid_projections': {
      async up(db) {
        await sql`
          CREATE TABLE ${t('proj_grids')} (
            cluster_id text NOT NULL,
            name text NOT NULL,
            kind text NOT NULL,
            state jsonb NOT NULL,
            last_position bigint NOT NULL,
            PRIMARY KEY (cluster_id, name)
          )`.execute(db);
        await sql`
          CREATE TABLE ${t('proj_pods')} (
            cluster_id text NOT NULL,
            name text NOT NULL,
            grid text NOT NULL,
            child text NOT NULL,
            unit text NOT NULL,
            node text,
            reason text NOT NULL,
            revision text NOT NULL,
            updated_at text NOT NULL,
            PRIMARY KEY (cluster_id, name)
          )`.execute(db);
        await sql`CREATE INDEX proj_pods_grid_idx ON ${t('proj_pods')} (cluster_id, grid)`.execute(db);
        await sql`
          CREATE TABLE ${t('proj_node_pods')} (
            cluster_id text NOT NULL,
            node text NOT NULL,
            pods jsonb NOT NULL,
            stream_version integer NOT NULL,
            PRIMARY KEY (cluster_id, node)
          )`.execute(db);
        await sql`
          CREATE TABLE ${t('proj_clusters')} (
            cluster_id text PRIMARY KEY,
            name text NOT NULL,
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
            taints jsonb NOT NULL,
            system_taints jsonb NOT NULL,
            cordoned_by jsonb NOT NULL,
            addresses jsonb NOT NULL,
            units jsonb NOT NULL,
            units_version integer NOT NULL,
            verdict text,
            verdict_at text,
            drain_request_id text,
            joined_at text NOT NULL,
            PRIMARY KEY (cluster_id, name)
          )`.execute(db);
        await sql`
          CREATE TABLE ${t('proj_units')} (
            cluster_id text NOT NULL,
            name text NOT NULL,
            labels jsonb NOT NULL,
            PRIMARY KEY (cluster_id, name)
          )`.execute(db);
        await sql`
          CREATE TABLE ${t('proj_groups')} (
            cluster_id text NOT NULL,
            name text NOT NULL,
            units jsonb NOT NULL,
            source_version integer NOT NULL,
            PRIMARY KEY (cluster_id, name)
          )`.execute(db);
      },
      async down(db) {
        for (const name of [
          'proj_groups',
          'proj_units',
          'proj_nodes',
          'proj_clusters',
          'proj_node_pods',
          'proj_pods',
          'proj_grids',
        ]) {
          await sql`DROP TABLE IF EXISTS ${t(name)}`.execute(db);
        }
      },
    },
    '2026_11_28_1500_grid_dark_units': {
      // the arbiter's unit-dark-freeze: units whose every node went dark keep their pods in place
      async up(db) {
        await sql`ALTER TABLE ${t('proj_nodes')} ADD COLUMN dark_units jsonb NOT NULL DEFAULT '[]'`.execute(
          db,
        );
      },
      async down(db) {
        await sql`ALTER TABLE ${t('proj_nodes')} DROP COLUMN IF EXISTS dark_units`.execute(db);
      },
    },
    '2026_11_28_1505_grid_pod_status': {
      // the agents' pod status (NodePodsStatusReported via the tunnel): readiness and pod IPs
      async up(db) {
        await sql`
          CREATE TABLE ${t('proj_pod_status')} (
            cluster_id text NOT NULL,
            node text NOT NULL,
            pods jsonb NOT NULL,
            reported_at text NOT NULL,
            PRIMARY KEY (cluster_id, node)
          )`.execute(db);
      },
      async down(db) {
        await sql`DROP TABLE IF EXISTS ${t('proj_pod_status')}`.execute(db);
      },
    },
    '2026_11_28_1800_grid_node_allocatable': {
      // what each node's agent says it offers pods (NodePodsStatusReported.allocatable)
      async up(db) {
        await sql`ALTER TABLE ${t('proj_pod_status')} ADD COLUMN allocatable jsonb`.execute(db);
      },
      async down(db) {
        await sql`ALTER TABLE ${t('proj_pod_status')} DROP COLUMN IF EXISTS allocatable`.execute(db);
      },
    },
    '2026_11_28_1805_grid_snapshot_version': {
      // proj_grids.state is the Grid fold: with its stream version it is the aggregate's snapshot
      async up(db) {
        await sql`ALTER TABLE ${t('proj_grids')} ADD COLUMN stream_version integer`.execute(db);
      },
      async down(db) {
        await sql`ALTER TABLE ${t('proj_grids')} DROP COLUMN IF EXISTS stream_version`.execute(db);
      },
    },
  };
}
