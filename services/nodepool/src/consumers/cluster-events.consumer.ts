import { Inject, Injectable } from '@nestjs/common';
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
import type { SchemaQueries } from '../db/database.js';
import { NodeUnitHandler } from '../node-unit/node-unit.handler.js';
import { markClusterDeleted, recordClusterCreated } from '../read-model/clusters.queries.js';
import { removeVerdicts } from '../read-model/node-health.queries.js';
import { recordNodeJoined, relabelNode, removeNodes } from '../read-model/nodes.queries.js';
import { ClusterLock } from '../reconciler/cluster-lock.js';
import { MembershipReconciler } from '../reconciler/membership.reconciler.js';

/** The owner name nodepool's own layer carries when the cluster service applies it. */
const NODEPOOL_LABEL_OWNER = 'nodepool';

const CLUSTER_INPUTS = [
  ClusterCreated,
  ClusterDeleted,
  NodeJoined,
  NodeLabelsChanged,
  NodeSystemLabelsChanged,
  NodeRemoved,
] as const;

/**
 * Cluster events → nodepool's view of clusters and nodes, then the membership reconciler, all in
 * the consumer's transaction (which also writes the inbox row, so a redelivery changes nothing)
 * under the cluster's lock. Only the OPERATOR label layer is kept (join-time system labels +
 * operator labels + other owners' system labels); nodepool's own layer, echoed back as
 * NodeSystemLabelsChanged{owner: nodepool}, is ignored so selectors can never feed on nodepool's
 * output.
 */
@Injectable()
export class ClusterEventsConsumer {
  constructor(
    @Inject(ClusterLock) private readonly lock: ClusterLock,
    @Inject(NodeUnitHandler) private readonly units: NodeUnitHandler,
    @Inject(MembershipReconciler) private readonly reconciler: MembershipReconciler,
  ) {}

  @JetStreamHandler({ durable: 'nodepool__cluster-events', events: CLUSTER_INPUTS })
  async onClusterEvent(
    envelope: EnvelopeOf<typeof CLUSTER_INPUTS>,
    { trx, afterBatch }: HandlerContext,
  ): Promise<void> {
    const now = envelope.occurredAt;
    switch (envelope.type) {
      case 'ClusterCreated': {
        const d = envelope.data;
        await this.lock.run(
          d.clusterId,
          async (t, db) => {
            await recordClusterCreated(db, d);
            await this.units.ensureDefault(t, d.clusterId, d.createdAt);
            await this.reconciler.reconcile(t, d.clusterId, now);
          },
          trx,
        );
        return;
      }
      case 'ClusterDeleted': {
        const d = envelope.data;
        await this.lock.run(
          d.clusterId,
          async (t, db) => {
            await markClusterDeleted(db, d.clusterId);
            await removeNodes(db, d.clusterId);
            await removeVerdicts(db, d.clusterId);
            await this.reconciler.reconcile(t, d.clusterId, now);
          },
          trx,
        );
        return;
      }
      case 'NodeJoined': {
        const d = envelope.data;
        await this.nodeChange(trx, afterBatch, d.clusterId, now, (db) => recordNodeJoined(db, d));
        return;
      }
      case 'NodeLabelsChanged': {
        const d = envelope.data;
        await this.nodeChange(trx, afterBatch, d.clusterId, now, (db) =>
          relabelNode(db, d.clusterId, d.nodeName, d.set, d.removed),
        );
        return;
      }
      case 'NodeSystemLabelsChanged': {
        const d = envelope.data;
        if (d.owner === NODEPOOL_LABEL_OWNER) return;
        await this.nodeChange(trx, afterBatch, d.clusterId, now, (db) =>
          relabelNode(db, d.clusterId, d.nodeName, d.set, d.removed),
        );
        return;
      }
      case 'NodeRemoved': {
        const d = envelope.data;
        await this.nodeChange(trx, afterBatch, d.clusterId, now, async (db) => {
          await removeNodes(db, d.clusterId, d.nodeName);
          await removeVerdicts(db, d.clusterId, d.nodeName);
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
    change: (db: SchemaQueries) => Promise<void>,
  ): Promise<void> {
    await this.lock.run(clusterId, (_t, db) => change(db), trx);
    afterBatch(`reconcile:${clusterId}`, (t) =>
      this.lock.run(clusterId, (t2) => this.reconciler.reconcile(t2, clusterId, now), t),
    );
  }
}
