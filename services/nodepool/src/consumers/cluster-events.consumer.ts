import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import {
  ClusterCreated,
  ClusterDeleted,
  NodeJoined,
  NodeLabelsChanged,
  NodeRemoved,
  NodeSystemLabelsChanged,
  type EnvelopeOf,
} from '@edgeplane/contracts';
import type { Trx } from '@edgeplane/eventstore';
import { JetStreamHandler, type HandlerContext } from '@edgeplane/messaging';
import { SCHEMA } from '@edgeplane/service-kit';
import { NodepoolWriter } from '../writer/nodepool.writer.js';

/** The owner name nodepool's own layer carries when the cluster service applies it. */
export const NODEPOOL_LABEL_OWNER = 'nodepool';

/**
 * Cluster events → nodepool's view of clusters and nodes, then the membership reconciler, all in
 * the consumer's transaction (which also writes the inbox row, so a redelivery changes nothing).
 * Only the OPERATOR label layer is kept (join-time system labels + operator labels + other
 * owners' system labels); nodepool's own layer, echoed back as NodeSystemLabelsChanged{owner:
 * nodepool}, is ignored so selectors can never feed on nodepool's output.
 */
const CLUSTER_INPUTS = [
  ClusterCreated,
  ClusterDeleted,
  NodeJoined,
  NodeLabelsChanged,
  NodeSystemLabelsChanged,
  NodeRemoved,
] as const;

@Injectable()
export class ClusterEventsConsumer {
  constructor(
    @Inject(NodepoolWriter) private readonly writer: NodepoolWriter,
    @Inject(SCHEMA) private readonly schema: string,
  ) {}

  private t(name: string) {
    return sql.id(this.schema, name);
  }

  @JetStreamHandler({ durable: 'nodepool__cluster-events', events: CLUSTER_INPUTS })
  async onClusterEvent(
    envelope: EnvelopeOf<typeof CLUSTER_INPUTS>,
    { trx, afterBatch }: HandlerContext,
  ): Promise<void> {
    const now = envelope.occurredAt;
    switch (envelope.type) {
      case 'ClusterCreated': {
        const d = envelope.data;
        await this.writer.inCluster(
          d.clusterId,
          async (t) => {
            await sql`
              INSERT INTO ${this.t('proj_clusters')}
                (cluster_id, name, kubernetes_version, runtime, pod_cidr, service_cidr, created_at)
              VALUES (${d.clusterId}, ${d.name}, ${d.kubernetesVersion}, ${d.runtime}, ${d.podCidr}, ${d.serviceCidr}, ${d.createdAt})
              ON CONFLICT (cluster_id) DO NOTHING`.execute(t);
            await this.writer.unit(t, {
              type: 'EnsureDefaultNodeUnit',
              clusterId: d.clusterId,
              now: d.createdAt,
            });
            await this.writer.reconcile(t, d.clusterId, now);
          },
          trx,
        );
        return;
      }
      case 'ClusterDeleted': {
        const d = envelope.data;
        await this.writer.inCluster(
          d.clusterId,
          async (t) => {
            await sql`UPDATE ${this.t('proj_clusters')} SET deleted = true WHERE cluster_id = ${d.clusterId}`.execute(
              t,
            );
            await sql`DELETE FROM ${this.t('proj_nodes')} WHERE cluster_id = ${d.clusterId}`.execute(t);
            await sql`DELETE FROM ${this.t('proj_node_health')} WHERE cluster_id = ${d.clusterId}`.execute(t);
            await this.writer.reconcile(t, d.clusterId, now);
          },
          trx,
        );
        return;
      }
      case 'NodeJoined': {
        const d = envelope.data;
        await this.nodeChange(trx, afterBatch, d.clusterId, now, async (t) => {
          await sql`
            INSERT INTO ${this.t('proj_nodes')} (cluster_id, name, labels, joined_at)
            VALUES (${d.clusterId}, ${d.nodeName}, ${JSON.stringify(d.systemLabels)}::jsonb, ${d.joinedAt})
            ON CONFLICT (cluster_id, name) DO UPDATE SET labels = excluded.labels, joined_at = excluded.joined_at`.execute(
            t,
          );
        });
        return;
      }
      case 'NodeLabelsChanged': {
        const d = envelope.data;
        await this.nodeChange(trx, afterBatch, d.clusterId, now, (t) =>
          this.relabel(t, d.clusterId, d.nodeName, d.set, d.removed),
        );
        return;
      }
      case 'NodeSystemLabelsChanged': {
        const d = envelope.data;
        if (d.owner === NODEPOOL_LABEL_OWNER) return;
        await this.nodeChange(trx, afterBatch, d.clusterId, now, (t) =>
          this.relabel(t, d.clusterId, d.nodeName, d.set, d.removed),
        );
        return;
      }
      case 'NodeRemoved': {
        const d = envelope.data;
        await this.nodeChange(trx, afterBatch, d.clusterId, now, async (t) => {
          await sql`DELETE FROM ${this.t('proj_nodes')} WHERE cluster_id = ${d.clusterId} AND name = ${d.nodeName}`.execute(
            t,
          );
          await sql`DELETE FROM ${this.t('proj_node_health')} WHERE cluster_id = ${d.clusterId} AND node = ${d.nodeName}`.execute(
            t,
          );
        });
        return;
      }
    }
  }

  /**
   * Applies a node input change now and reconciles the cluster once at the end of the consumer's
   * batch: a burst of joins (a site of 500 nodes coming online) costs one whole-cluster reconcile
   * per batch, not one per node.
   */
  private async nodeChange(
    trx: Trx,
    afterBatch: HandlerContext['afterBatch'],
    clusterId: string,
    now: string,
    change: (t: Trx) => Promise<void>,
  ): Promise<void> {
    await this.writer.inCluster(clusterId, change, trx);
    afterBatch(`reconcile:${clusterId}`, async (t) => {
      await this.writer.inCluster(clusterId, (t2) => this.writer.reconcile(t2, clusterId, now), t);
    });
  }

  private async relabel(
    t: Trx,
    clusterId: string,
    node: string,
    set: Record<string, string>,
    removed: string[],
  ) {
    const row = (
      await sql<{ labels: Record<string, string> }>`
        SELECT labels FROM ${this.t('proj_nodes')} WHERE cluster_id = ${clusterId} AND name = ${node} FOR UPDATE`.execute(
        t,
      )
    ).rows[0];
    if (!row) return; // a node nodepool never saw join (removed meanwhile): nothing to relabel
    const labels = { ...row.labels, ...set };
    for (const key of removed) delete labels[key];
    await sql`
      UPDATE ${this.t('proj_nodes')} SET labels = ${JSON.stringify(labels)}::jsonb
      WHERE cluster_id = ${clusterId} AND name = ${node}`.execute(t);
  }
}
