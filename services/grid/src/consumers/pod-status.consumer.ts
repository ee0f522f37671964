import { Inject, Injectable } from '@nestjs/common';
import { NodePodsStatusReported, type EnvelopeOf } from '@edgeplane/contracts';
import { JetStreamHandler, type HandlerContext } from '@edgeplane/messaging';
import { recordPodStatus } from '../read-model/world.queries.js';
import { ClusterLock } from '../reconciler/cluster-lock.js';
import { GridReconciler } from '../reconciler/grid.reconciler.js';

/**
 * The agents' pod status (NodePodsStatusReported, relayed by the tunnel) → readiness, failures
 * and pod IPs per pod; a change reconciles the cluster, so the rollout's health gate and the
 * ServiceGrids' endpoints follow what the pods really do.
 */
@Injectable()
export class PodStatusConsumer {
  constructor(
    @Inject(ClusterLock) private readonly lock: ClusterLock,
    @Inject(GridReconciler) private readonly reconciler: GridReconciler,
  ) {}

  @JetStreamHandler({ durable: 'grid__pod-status', events: [NodePodsStatusReported] })
  async onPodStatus(
    envelope: EnvelopeOf<typeof NodePodsStatusReported>,
    { trx, afterBatch }: HandlerContext,
  ): Promise<void> {
    const d = envelope.data;
    const changed = await this.lock.run(d.clusterId, (_t, db) => recordPodStatus(db, d), trx);
    if (changed)
      afterBatch(`reconcile:${d.clusterId}`, (t) => this.reconciler.reconcileLocked(t, d.clusterId));
  }
}
