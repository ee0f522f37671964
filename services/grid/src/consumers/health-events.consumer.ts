import { Inject, Injectable } from '@nestjs/common';
import { NodeVerdictChanged, type EnvelopeOf } from '@edgeplane/contracts';
import { JetStreamHandler, type HandlerContext } from '@edgeplane/messaging';
import { recordVerdict } from '../read-model/world.queries.js';
import { ClusterLock } from '../reconciler/cluster-lock.js';
import { GridReconciler } from '../reconciler/grid.reconciler.js';

/**
 * Health-arbiter verdicts → each node's latest verdict; a change reconciles the cluster: on
 * `NotReadyNoExecute` the node's pods move to other nodes of their unit, on `NotReadyNoSchedule`
 * the node takes no new pods and keeps its own. Verdicts apply in order of their `at`.
 */
@Injectable()
export class HealthEventsConsumer {
  constructor(
    @Inject(ClusterLock) private readonly lock: ClusterLock,
    @Inject(GridReconciler) private readonly reconciler: GridReconciler,
  ) {}

  @JetStreamHandler({ durable: 'grid__health-events', events: [NodeVerdictChanged] })
  async onVerdict(
    envelope: EnvelopeOf<typeof NodeVerdictChanged>,
    { trx, afterBatch }: HandlerContext,
  ): Promise<void> {
    const d = envelope.data;
    const changed = await this.lock.run(d.clusterId, (_t, db) => recordVerdict(db, d), trx);
    if (changed)
      afterBatch(`reconcile:${d.clusterId}`, (t) => this.reconciler.reconcileLocked(t, d.clusterId));
  }
}
