import { sql } from 'kysely';
import type { AnyDb, Trx } from '@edgeplane/eventstore';
import { NotFoundError } from '@edgeplane/es-kit';
import type { MembershipWorld, NodeLayer, NodeView } from '../membership/membership.engine.js';
import type { PublishedMembership } from '../membership/reconcile-plan.js';
import type { HostCluster } from '../kins/kins.rules.js';
import type { NodeReadiness } from '../unit-status/unit-status.js';
import type { ActiveGroupState, ActiveUnitState } from '../projections/nodepool.projections.js';

type Q = AnyDb | Trx;

export interface ClusterRow {
  clusterId: string;
  name: string;
  kubernetesVersion: string;
  runtime: string;
  podCidr: string | null;
  serviceCidr: string | null;
}

/**
 * Queries over nodepool's own tables (never another service's). Everything takes the caller's
 * transaction when there is one, so a command sees the projections its own appends just updated.
 */
export class NodepoolReadModel {
  constructor(private readonly schema: string) {}

  private t(name: string) {
    return sql.id(this.schema, name);
  }

  /** A live cluster by id or by name (ids win over names); NOT_FOUND otherwise. */
  async resolveCluster(q: Q, ref: string): Promise<ClusterRow> {
    const row = (
      await sql<{
        cluster_id: string;
        name: string;
        kubernetes_version: string;
        runtime: string;
        pod_cidr: string | null;
        service_cidr: string | null;
      }>`
        SELECT cluster_id, name, kubernetes_version, runtime, pod_cidr, service_cidr FROM ${this.t('proj_clusters')}
        WHERE NOT deleted AND (cluster_id = ${ref} OR name = ${ref})
        ORDER BY (cluster_id = ${ref}) DESC LIMIT 1`.execute(q)
    ).rows[0];
    if (!row) throw new NotFoundError('Cluster', ref);
    return {
      clusterId: row.cluster_id,
      name: row.name,
      kubernetesVersion: row.kubernetes_version,
      runtime: row.runtime,
      podCidr: row.pod_cidr,
      serviceCidr: row.service_cidr,
    };
  }

  hostOf(cluster: ClusterRow): HostCluster {
    return {
      kubernetesVersion: cluster.kubernetesVersion,
      runtime: cluster.runtime,
      ...(cluster.podCidr ? { podCidr: cluster.podCidr } : {}),
      ...(cluster.serviceCidr ? { serviceCidr: cluster.serviceCidr } : {}),
    };
  }

  async units(q: Q, clusterId: string): Promise<ActiveUnitState[]> {
    const rows = await sql<{ state: ActiveUnitState }>`
      SELECT state FROM ${this.t('proj_units')} WHERE cluster_id = ${clusterId} ORDER BY name`.execute(q);
    return rows.rows.map((r) => r.state);
  }

  async unit(q: Q, clusterId: string, name: string): Promise<ActiveUnitState> {
    const row = (
      await sql<{ state: ActiveUnitState }>`
        SELECT state FROM ${this.t('proj_units')} WHERE cluster_id = ${clusterId} AND name = ${name}`.execute(
        q,
      )
    ).rows[0];
    if (!row) throw new NotFoundError('NodeUnit', name);
    return row.state;
  }

  async groups(q: Q, clusterId: string): Promise<ActiveGroupState[]> {
    const rows = await sql<{ state: ActiveGroupState }>`
      SELECT state FROM ${this.t('proj_groups')} WHERE cluster_id = ${clusterId} ORDER BY name`.execute(q);
    return rows.rows.map((r) => r.state);
  }

  async group(q: Q, clusterId: string, name: string): Promise<ActiveGroupState> {
    const row = (
      await sql<{ state: ActiveGroupState }>`
        SELECT state FROM ${this.t('proj_groups')} WHERE cluster_id = ${clusterId} AND name = ${name}`.execute(
        q,
      )
    ).rows[0];
    if (!row) throw new NotFoundError('NodeGroup', name);
    return row.state;
  }

  async nodes(q: Q, clusterId: string): Promise<NodeView[]> {
    const rows = await sql<{ name: string; labels: Record<string, string> }>`
      SELECT name, labels FROM ${this.t('proj_nodes')} WHERE cluster_id = ${clusterId} ORDER BY name`.execute(
      q,
    );
    return rows.rows.map((r) => ({ clusterId, name: r.name, labels: r.labels }));
  }

  async layers(q: Q, clusterId: string, node?: string): Promise<Map<string, NodeLayer>> {
    const rows = await sql<{ node: string; layer: NodeLayer }>`
      SELECT node, layer FROM ${this.t('proj_node_membership')}
      WHERE cluster_id = ${clusterId} ${node === undefined ? sql`` : sql`AND node = ${node}`}
      ORDER BY node`.execute(q);
    return new Map(rows.rows.map((r) => [r.node, r.layer]));
  }

  async readiness(q: Q, clusterId: string): Promise<Map<string, NodeReadiness>> {
    const rows = await sql<{ node: string; verdict: string }>`
      SELECT node, verdict FROM ${this.t('proj_node_health')} WHERE cluster_id = ${clusterId}`.execute(q);
    return new Map(
      rows.rows.map((r) => [
        r.node,
        { verdict: r.verdict === 'Ready' ? ('Ready' as const) : ('NotReady' as const) },
      ]),
    );
  }

  /** The desired state of one cluster as the membership engine reads it. */
  async world(q: Q, clusterId: string): Promise<MembershipWorld> {
    const [nodes, units, groups] = await Promise.all([
      this.nodes(q, clusterId),
      this.units(q, clusterId),
      this.groups(q, clusterId),
    ]);
    return {
      nodes,
      units: units.map((u) => ({
        name: u.name,
        spec: u.spec,
        ...(u.managedBy ? { managedBy: u.managedBy } : {}),
      })),
      groups: groups.map((g) => ({ name: g.name, spec: g.spec })),
    };
  }

  /** What nodepool has published so far (unit members, group units, node layers). */
  async published(q: Q, clusterId: string): Promise<Required<PublishedMembership>> {
    const [units, groups, nodeLayers] = await Promise.all([
      this.units(q, clusterId),
      this.groups(q, clusterId),
      this.layers(q, clusterId),
    ]);
    return {
      unitMembers: new Map(units.map((u) => [u.name, u.members])),
      groupUnits: new Map(groups.map((g) => [g.name, g.units])),
      nodeLayers,
    };
  }
}
