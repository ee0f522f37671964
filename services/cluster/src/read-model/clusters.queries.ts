import { NotFoundError, ValidationError } from '@edgeplane/es-kit';
import { pageOf, type PageRequest } from '@edgeplane/service-kit';
import { sql } from 'kysely';
import type { PeerClusterCidrs } from '../cluster/cluster.lifecycle.decide.js';
import type { ActiveCluster } from '../cluster/cluster.state.js';
import type { SchemaQueries } from '../db/database.js';

/** A cluster as an operator addresses it: by id or by name (either field is tried both ways). */
export interface ClusterRefInput {
  id?: string;
  name?: string;
}

export async function findCluster(q: SchemaQueries, idOrName: string): Promise<ActiveCluster | undefined> {
  const byId = await q
    .selectFrom('proj_clusters')
    .select('state')
    .where('cluster_id', '=', idOrName)
    .executeTakeFirst();
  if (byId) return byId.state;
  const byName = await q
    .selectFrom('proj_clusters')
    .select('state')
    .where('name', '=', idOrName)
    .executeTakeFirst();
  return byName?.state;
}

/** The live cluster a request names, or NOT_FOUND; a missing reference is INVALID_ARGUMENT. */
export async function resolveCluster(
  q: SchemaQueries,
  ref: ClusterRefInput | null | undefined,
): Promise<ActiveCluster> {
  const key = (ref?.name || ref?.id || '').trim();
  if (!key) throw ValidationError.field('cluster', 'name the cluster (by name or id)');
  const cluster = await findCluster(q, key);
  if (!cluster) throw new NotFoundError('cluster', key);
  return cluster;
}

export async function clusterNameTaken(q: SchemaQueries, name: string): Promise<boolean> {
  const row = await q
    .selectFrom('proj_clusters')
    .select('cluster_id')
    .where('name', '=', name)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Live clusters in the same VPC: the same VPC id when one is given; without one, the same VPC
 * CIDR (the platform knows the VPC only by its range then).
 */
export async function clustersInVpc(
  q: SchemaQueries,
  vpcId: string | null,
  vpcCidr: string | undefined,
): Promise<PeerClusterCidrs[]> {
  let query = q.selectFrom('proj_clusters').select(['cluster_id', 'name', 'pod_cidr', 'service_cidr']);
  if (vpcId) query = query.where('vpc_id', '=', vpcId);
  else if (vpcCidr) query = query.where('vpc_id', 'is', null).where('vpc_cidr', '=', vpcCidr);
  else return [];
  const rows = await query.execute();
  return rows.map((r) => ({
    clusterId: r.cluster_id,
    name: r.name,
    podCidr: r.pod_cidr,
    serviceCidr: r.service_cidr,
  }));
}

/** One page of live clusters, oldest first (keyset: created_at, cluster_id). */
export async function listClustersPage(
  q: SchemaQueries,
  region: string | undefined,
  page: PageRequest,
): Promise<{ items: ActiveCluster[]; nextPageToken: string }> {
  let query = q
    .selectFrom('proj_clusters')
    .select(['state', 'cluster_id', sql<string>`created_at::text`.as('at')])
    .orderBy('created_at')
    .orderBy('cluster_id')
    .limit(page.limit + 1);
  if (region) query = query.where('region', '=', region);
  if (page.after) {
    const [at, id] = page.after;
    query = query.where(sql<boolean>`(created_at, cluster_id) > (${String(at)}::timestamptz, ${String(id)})`);
  }
  const { items, nextPageToken } = pageOf(await query.execute(), page, (r) => [r.at, r.cluster_id]);
  return { items: items.map((r) => r.state), nextPageToken };
}

export async function listClusters(q: SchemaQueries, region?: string): Promise<ActiveCluster[]> {
  let query = q.selectFrom('proj_clusters').select('state').orderBy('created_at').orderBy('name');
  if (region) query = query.where('region', '=', region);
  return (await query.execute()).map((r) => r.state);
}
