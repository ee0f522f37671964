import { Inject, Injectable } from '@nestjs/common';
import {
  NodeGroupDeleted,
  NodeGroupUnitsChanged,
  NodeMembershipChanged,
  NodeUnitCreated,
  NodeUnitDeleted,
  NodeUnitUpdated,
  type EnvelopeOf,
} from '@edgeplane/contracts';
import { JetStreamHandler, type HandlerContext } from '@edgeplane/messaging';
import {
  recordGroupUnits,
  recordMembership,
  recordUnit,
  removeGroup,
  removeUnit,
} from '../read-model/world.queries.js';
import { ClusterLock } from '../reconciler/cluster-lock.js';
import { GridReconciler } from '../reconciler/grid.reconciler.js';

const NODEPOOL_INPUTS = [
  NodeUnitCreated,
  NodeUnitUpdated,
  NodeUnitDeleted,
  NodeGroupUnitsChanged,
  NodeGroupDeleted,
  NodeMembershipChanged,
] as const;

/**
 * nodepool events → which units each group has (one child per unit), each unit's labels (what
 * overriders select) and which units each node is in (where a child's pods may go); then one
 * reconcile of the cluster at the end of the batch, under the cluster's lock.
 */
@Injectable()
export class NodepoolEventsConsumer {
  constructor(
    @Inject(ClusterLock) private readonly lock: ClusterLock,
    @Inject(GridReconciler) private readonly reconciler: GridReconciler,
  ) {}

  @JetStreamHandler({ durable: 'grid__nodepool-events', events: NODEPOOL_INPUTS })
  async onNodepoolEvent(
    envelope: EnvelopeOf<typeof NODEPOOL_INPUTS>,
    { trx, afterBatch }: HandlerContext,
  ): Promise<void> {
    const clusterId = envelope.data.clusterId;
    await this.lock.run(
      clusterId,
      async (_t, db) => {
        switch (envelope.type) {
          case 'NodeUnitCreated':
          case 'NodeUnitUpdated':
            return recordUnit(db, clusterId, envelope.data.name, envelope.data.labels);
          case 'NodeUnitDeleted':
            return removeUnit(db, clusterId, envelope.data.name);
          case 'NodeGroupUnitsChanged':
            return recordGroupUnits(
              db,
              clusterId,
              envelope.data.name,
              envelope.data.units,
              envelope.streamPosition,
            );
          case 'NodeGroupDeleted':
            return removeGroup(db, clusterId, envelope.data.name);
          case 'NodeMembershipChanged':
            return recordMembership(db, envelope.data);
        }
      },
      trx,
    );
    afterBatch(`reconcile:${clusterId}`, (t) => this.reconciler.reconcileLocked(t, clusterId));
  }
}
