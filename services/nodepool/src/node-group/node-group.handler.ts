import { Inject, Injectable } from '@nestjs/common';
import { AggregateHandler, type EventStore, type HandleResult, type Trx } from '@edgeplane/eventstore';
import { EVENT_STORE } from '@edgeplane/service-kit';
import type { SchemaQueries } from '../db/database.js';
import type { NodeGroupSpecInput } from '../model/node-group.model.js';
import { resolveCluster } from '../read-model/clusters.queries.js';
import { getGroup } from '../read-model/groups.queries.js';
import { worldOf } from '../read-model/world.queries.js';
import { ClusterLock } from '../reconciler/cluster-lock.js';
import { MembershipReconciler } from '../reconciler/membership.reconciler.js';
import { CLOCK, SCHEMA_QUERIES, type Clock } from '../tokens.js';
import {
  nodeGroupDecider,
  nodeGroupStreamId,
  type NodeGroupCommand,
  type NodeGroupEvent,
  type NodeGroupState,
} from './node-group.decider.js';
import type { ActiveGroupState } from './node-group.state.js';

/** A group as the operator addresses it: the cluster by name or id. */
export interface GroupRef {
  cluster: string;
  name: string;
}

/**
 * Application service of the NodeGroup aggregate: resolves the cluster, reads the clock and the
 * cluster's world, decides and appends under the cluster's lock, then runs the reconciler in the
 * same transaction (so the answer already shows the group's units).
 */
@Injectable()
export class NodeGroupHandler {
  private readonly groups: AggregateHandler<NodeGroupState, NodeGroupCommand, NodeGroupEvent>;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(SCHEMA_QUERIES) private readonly db: SchemaQueries,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ClusterLock) private readonly lock: ClusterLock,
    @Inject(MembershipReconciler) private readonly reconciler: MembershipReconciler,
  ) {
    this.groups = new AggregateHandler(store, nodeGroupDecider);
  }

  /** Load → decide → append on the group's stream, inside the caller's transaction. */
  decide(trx: Trx, command: NodeGroupCommand): Promise<HandleResult<NodeGroupState>> {
    return this.groups.handle(nodeGroupStreamId(command.clusterId, command.name), command, { trx });
  }

  create(ref: GroupRef, spec: NodeGroupSpecInput): Promise<ActiveGroupState> {
    return this.write('CreateNodeGroup', ref, spec);
  }

  update(ref: GroupRef, spec: NodeGroupSpecInput): Promise<ActiveGroupState> {
    return this.write('UpdateNodeGroup', ref, spec);
  }

  /** Create and update differ only in the command: decide against the cluster's world, reconcile. */
  private async write(type: 'CreateNodeGroup' | 'UpdateNodeGroup', ref: GroupRef, spec: NodeGroupSpecInput) {
    const { clusterId } = await resolveCluster(this.db, ref.cluster);
    const now = this.clock().toISOString();
    return this.lock.run(clusterId, async (trx, db) => {
      const world = await worldOf(db, clusterId);
      await this.decide(trx, { type, clusterId, name: ref.name, spec, world, now });
      await this.reconciler.reconcile(trx, clusterId, now);
      return getGroup(db, clusterId, ref.name);
    });
  }

  async delete(ref: GroupRef): Promise<void> {
    const { clusterId } = await resolveCluster(this.db, ref.cluster);
    const now = this.clock().toISOString();
    await this.lock.run(clusterId, async (trx) => {
      await this.decide(trx, { type: 'DeleteNodeGroup', clusterId, name: ref.name, now });
      await this.reconciler.reconcile(trx, clusterId, now);
    });
  }
}
