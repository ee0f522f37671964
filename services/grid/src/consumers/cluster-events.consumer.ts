import { Inject, Injectable } from '@nestjs/common';
import {
  ClusterCreated,
  ClusterDeleted,
  NodeCordoned,
  NodeDrainRequested,
  NodeJoined,
  NodeLabelsChanged,
  NodeRemoved,
  NodeSystemLabelsChanged,
  NodeSystemTaintsChanged,
  NodeTaintsChanged,
  NodeUncordoned,
  type EnvelopeOf,
} from '@edgeplane/contracts';
import { JetStreamHandler, type HandlerContext } from '@edgeplane/messaging';
import type { SchemaQueries } from '../db/database.js';
import { markClusterDeleted, recordClusterCreated } from '../read-model/clusters.queries.js';
import {
  recordDrain,
  recordNodeJoined,
  relabel,
  removeNode,
  updateNode,
} from '../read-model/world.queries.js';
import { ClusterLock } from '../reconciler/cluster-lock.js';
import { GridReconciler } from '../reconciler/grid.reconciler.js';

const CLUSTER_INPUTS = [
  ClusterCreated,
  ClusterDeleted,
  NodeJoined,
  NodeLabelsChanged,
  NodeSystemLabelsChanged,
  NodeTaintsChanged,
  NodeSystemTaintsChanged,
  NodeCordoned,
  NodeUncordoned,
  NodeDrainRequested,
  NodeRemoved,
] as const;

/**
 * Cluster events → the grid service's view of clusters and nodes (every label layer, taints,
 * cordons, addresses, drains), then one reconcile of the cluster's grids at the end of the
 * consumer's batch, all in the consumer's transaction (with the inbox row, so a redelivery changes
 * nothing) under the cluster's lock.
 */
@Injectable()
export class ClusterEventsConsumer {
  constructor(
    @Inject(ClusterLock) private readonly lock: ClusterLock,
    @Inject(GridReconciler) private readonly reconciler: GridReconciler,
  ) {}

  @JetStreamHandler({ durable: 'grid__cluster-events', events: CLUSTER_INPUTS })
  async onClusterEvent(envelope: EnvelopeOf<typeof CLUSTER_INPUTS>, ctx: HandlerContext): Promise<void> {
    const d = envelope.data;
    const change = (work: (db: SchemaQueries) => Promise<unknown>) =>
      this.changeThenReconcile(ctx, d.clusterId, work);
    switch (envelope.type) {
      case 'ClusterCreated':
        return change((db) => recordClusterCreated(db, envelope.data));
      case 'ClusterDeleted':
        return change((db) => markClusterDeleted(db, envelope.data.clusterId));
      case 'NodeJoined':
        return change((db) => recordNodeJoined(db, envelope.data));
      case 'NodeLabelsChanged':
      case 'NodeSystemLabelsChanged': {
        const { nodeName, set, removed } = envelope.data;
        return change((db) =>
          updateNode(db, d.clusterId, nodeName, (n) => ({ labels: relabel(n.labels, set, removed) })),
        );
      }
      case 'NodeTaintsChanged': {
        const { nodeName, taints } = envelope.data;
        return change((db) => updateNode(db, d.clusterId, nodeName, () => ({ taints })));
      }
      case 'NodeSystemTaintsChanged': {
        const { nodeName, owner, taints } = envelope.data;
        return change((db) =>
          updateNode(db, d.clusterId, nodeName, (n) => ({
            system_taints: { ...n.system_taints, [owner]: taints },
          })),
        );
      }
      case 'NodeCordoned': {
        const { nodeName, holder } = envelope.data;
        return change((db) =>
          updateNode(db, d.clusterId, nodeName, (n) => ({
            cordoned_by: [...new Set([...n.cordoned_by, holder])].sort(),
          })),
        );
      }
      case 'NodeUncordoned': {
        const { nodeName, stillCordonedBy } = envelope.data;
        // an uncordoned node is no longer being drained: its pods may come back
        return change((db) =>
          updateNode(db, d.clusterId, nodeName, () => ({
            cordoned_by: [...stillCordonedBy].sort(),
            ...(stillCordonedBy.length === 0 ? { drain_request_id: null } : {}),
          })),
        );
      }
      case 'NodeDrainRequested':
        return change((db) => recordDrain(db, envelope.data));
      case 'NodeRemoved':
        return change((db) => removeNode(db, d.clusterId, envelope.data.nodeName));
    }
  }

  /**
   * Applies an input change now and reconciles the cluster once at the end of the consumer's
   * batch: a burst of joins costs one reconcile per batch, not one per node.
   */
  private async changeThenReconcile(
    { trx, afterBatch }: HandlerContext,
    clusterId: string,
    change: (db: SchemaQueries) => Promise<unknown>,
  ): Promise<void> {
    await this.lock.run(clusterId, (_t, db) => change(db), trx);
    afterBatch(`reconcile:${clusterId}`, (t) => this.reconciler.reconcileLocked(t, clusterId));
  }
}
