import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError, ValidationError } from '@edgeplane/es-kit';
import type { AnyDb, Trx } from '@edgeplane/eventstore';
import { DB, SCHEMA } from '@edgeplane/service-kit';
import type { ActiveCluster, PeerClusterCidrs } from '../cluster/cluster.decider.js';
import type { PresentNode } from '../node/node.decider.js';

/** A cluster as an operator addresses it: by id or by name (either field is tried both ways). */
export interface ClusterRefInput {
  id?: string;
  name?: string;
}

export interface TokenRow {
  tokenId: string;
  clusterId: string;
  status: 'issued' | 'revoked';
  ttlSeconds: number;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  containerDir: string;
  hasPreInstallScript: boolean;
  hasPostInstallScript: boolean;
  redeemedBy: string[];
}

export interface ConditionRow {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastTransitionAt: string;
}

/** Queries over the service's read models (proj_* tables and node_conditions). */
@Injectable()
export class ReadModel {
  constructor(
    @Inject(DB) private readonly db: AnyDb,
    @Inject(SCHEMA) private readonly schema: string,
  ) {}

  private q(trx?: Trx) {
    return (trx ?? this.db).withSchema(this.schema);
  }

  async findCluster(idOrName: string, trx?: Trx): Promise<ActiveCluster | undefined> {
    const byId = await this.q(trx)
      .selectFrom('proj_clusters')
      .select('state')
      .where('cluster_id', '=', idOrName)
      .executeTakeFirst();
    if (byId) return byId.state as ActiveCluster;
    const byName = await this.q(trx)
      .selectFrom('proj_clusters')
      .select('state')
      .where('name', '=', idOrName)
      .executeTakeFirst();
    return byName?.state as ActiveCluster | undefined;
  }

  /** The live cluster a request names, or NOT_FOUND; a missing reference is INVALID_ARGUMENT. */
  async resolveCluster(ref: ClusterRefInput | null | undefined, trx?: Trx): Promise<ActiveCluster> {
    const key = (ref?.name || ref?.id || '').trim();
    if (!key) throw ValidationError.field('cluster', 'name the cluster (by name or id)');
    const cluster = await this.findCluster(key, trx);
    if (!cluster) throw new NotFoundError('cluster', key);
    return cluster;
  }

  async clusterNameTaken(name: string, trx?: Trx): Promise<boolean> {
    const row = await this.q(trx)
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
  async clustersInVpc(
    vpcId: string | null,
    vpcCidr: string | undefined,
    trx?: Trx,
  ): Promise<PeerClusterCidrs[]> {
    let query = this.q(trx)
      .selectFrom('proj_clusters')
      .select(['cluster_id', 'name', 'pod_cidr', 'service_cidr']);
    if (vpcId) query = query.where('vpc_id', '=', vpcId);
    else if (vpcCidr) query = query.where('vpc_id', 'is', null).where('vpc_cidr', '=', vpcCidr);
    else return [];
    const rows = await query.execute();
    return rows.map((r) => ({
      clusterId: r.cluster_id as string,
      name: r.name as string,
      podCidr: r.pod_cidr as string,
      serviceCidr: r.service_cidr as string,
    }));
  }

  async listClusters(region?: string): Promise<ActiveCluster[]> {
    let query = this.q().selectFrom('proj_clusters').select('state').orderBy('created_at').orderBy('name');
    if (region) query = query.where('region', '=', region);
    return (await query.execute()).map((r) => r.state as ActiveCluster);
  }

  async listTokens(clusterId: string): Promise<TokenRow[]> {
    const rows = await this.q()
      .selectFrom('proj_join_tokens')
      .selectAll()
      .where('cluster_id', '=', clusterId)
      .orderBy('created_at')
      .execute();
    return rows.map(toTokenRow);
  }

  async findToken(tokenId: string): Promise<TokenRow | undefined> {
    const row = await this.q()
      .selectFrom('proj_join_tokens')
      .selectAll()
      .where('token_id', '=', tokenId)
      .executeTakeFirst();
    return row ? toTokenRow(row) : undefined;
  }

  async listNodes(clusterId: string): Promise<PresentNode[]> {
    const rows = await this.q()
      .selectFrom('proj_nodes')
      .select('state')
      .where('cluster_id', '=', clusterId)
      .orderBy('node_name')
      .execute();
    return rows.map((r) => r.state as PresentNode);
  }

  async findNode(clusterId: string, nodeName: string, trx?: Trx): Promise<PresentNode | undefined> {
    const row = await this.q(trx)
      .selectFrom('proj_nodes')
      .select('state')
      .where('cluster_id', '=', clusterId)
      .where('node_name', '=', nodeName)
      .executeTakeFirst();
    return row?.state as PresentNode | undefined;
  }

  async getNode(clusterId: string, nodeName: string): Promise<PresentNode> {
    const node = await this.findNode(clusterId, nodeName);
    if (!node) throw new NotFoundError('node', `${clusterId}/${nodeName}`);
    return node;
  }

  async conditions(clusterId: string, nodeNames?: string[]): Promise<Map<string, ConditionRow[]>> {
    let query = this.q().selectFrom('node_conditions').selectAll().where('cluster_id', '=', clusterId);
    if (nodeNames) {
      if (nodeNames.length === 0) return new Map();
      query = query.where('node_name', 'in', nodeNames);
    }
    const out = new Map<string, ConditionRow[]>();
    for (const r of await query.execute()) {
      const list = out.get(r.node_name as string) ?? [];
      list.push({
        type: r.type as string,
        status: r.status as string,
        reason: r.reason as string,
        message: r.message as string,
        lastTransitionAt: (r.last_transition_at as Date).toISOString(),
      });
      out.set(r.node_name as string, list);
    }
    return out;
  }
}

function toTokenRow(r: Record<string, unknown>): TokenRow {
  return {
    tokenId: r.token_id as string,
    clusterId: r.cluster_id as string,
    status: r.status as 'issued' | 'revoked',
    ttlSeconds: r.ttl_seconds as number,
    createdAt: (r.created_at as Date).toISOString(),
    expiresAt: (r.expires_at as Date).toISOString(),
    revokedAt: r.revoked_at ? (r.revoked_at as Date).toISOString() : null,
    containerDir: r.container_dir as string,
    hasPreInstallScript: r.has_pre_install_script as boolean,
    hasPostInstallScript: r.has_post_install_script as boolean,
    redeemedBy: r.redeemed_by as string[],
  };
}
