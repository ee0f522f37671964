import { NotFoundError } from '@edgeplane/es-kit';
import type { ClusterCreated, EventData } from '@edgeplane/contracts';
import type { SchemaQueries } from '../db/database.js';
import type { HostCluster } from '../kins/kins.rules.js';

/** A live cluster as nodepool knows it from the cluster service's events. */
export interface KnownCluster {
  clusterId: string;
  name: string;
  kubernetesVersion: string;
  runtime: string;
  podCidr: string | null;
  serviceCidr: string | null;
}

/** A live cluster by id or by name (ids win over names); NOT_FOUND otherwise. */
export async function resolveCluster(db: SchemaQueries, ref: string): Promise<KnownCluster> {
  const row = await db
    .selectFrom('proj_clusters')
    .select(['cluster_id', 'name', 'kubernetes_version', 'runtime', 'pod_cidr', 'service_cidr'])
    .where((eb) =>
      eb.and([eb.not(eb.ref('deleted')), eb.or([eb('cluster_id', '=', ref), eb('name', '=', ref)])]),
    )
    .orderBy((eb) => eb('cluster_id', '=', ref), 'desc')
    .limit(1)
    .executeTakeFirst();
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

/** The facts about the host cluster a Kins promotion is checked against. */
export function hostOf(cluster: KnownCluster): HostCluster {
  return {
    kubernetesVersion: cluster.kubernetesVersion,
    runtime: cluster.runtime,
    ...(cluster.podCidr ? { podCidr: cluster.podCidr } : {}),
    ...(cluster.serviceCidr ? { serviceCidr: cluster.serviceCidr } : {}),
  };
}

export async function recordClusterCreated(
  db: SchemaQueries,
  d: EventData<typeof ClusterCreated>,
): Promise<void> {
  await db
    .insertInto('proj_clusters')
    .values({
      cluster_id: d.clusterId,
      name: d.name,
      kubernetes_version: d.kubernetesVersion,
      runtime: d.runtime,
      pod_cidr: d.podCidr,
      service_cidr: d.serviceCidr,
      created_at: d.createdAt,
    })
    .onConflict((oc) => oc.column('cluster_id').doNothing())
    .execute();
}

export async function markClusterDeleted(db: SchemaQueries, clusterId: string): Promise<void> {
  await db.updateTable('proj_clusters').set({ deleted: true }).where('cluster_id', '=', clusterId).execute();
}
