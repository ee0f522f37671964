import { Inject, Injectable } from '@nestjs/common';
import {
  ClusterCapacityCordonsLifted,
  ClusterDeleted,
  NodeRemoved,
  type EnvelopeOf,
} from '@edgeplane/contracts';
import { AggregateHandler, type EventStore, type Trx } from '@edgeplane/eventstore';
import { JetStreamHandler, type HandlerContext } from '@edgeplane/messaging';
import type { Logger } from '@edgeplane/observability';
import { EVENT_STORE, LOGGER } from '@edgeplane/service-kit';
import { clusterDecider, clusterStreamId, type ClusterCommand } from '../cluster/cluster.decider.js';
import type { ClusterEvent, ClusterState } from '../cluster/cluster.state.js';
import { nodeDecider, nodeStreamId, type NodeCommand } from '../node/node.decider.js';
import type { NodeEvent, NodeState } from '../node/node.state.js';
import type { MachineProviderRegistry } from '../providers/machine-provider.js';
import { CLOCK, MACHINE_PROVIDERS, type Clock } from '../tokens.js';

/**
 * The cluster service reacting to its own events (stream EDGEPLANE_CLUSTER):
 *  - ClusterCapacityCordonsLifted → LiftCapacityCordon on each listed node (self-recovery after a tier raise);
 *  - NodeRemoved → RecordNodeRemoved on the cluster (the node stops counting against the tier),
 *    and the provider releases the machine when the node came from one;
 *  - ClusterDeleted → RemoveNode{reason: cluster-deleted} for each of its nodes (revokes their identities).
 * The stream is shared by every instance of the service (tests run several, each on its own
 * schema), so events about clusters and nodes this instance does not hold are acked with no effect.
 */
const REACTS_TO = [ClusterCapacityCordonsLifted, NodeRemoved, ClusterDeleted] as const;

@Injectable()
export class ClusterReactors {
  private readonly clusters: AggregateHandler<ClusterState, ClusterCommand, ClusterEvent>;
  private readonly nodes: AggregateHandler<NodeState, NodeCommand, NodeEvent>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(MACHINE_PROVIDERS) private readonly providers: MachineProviderRegistry,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.clusters = new AggregateHandler(store, clusterDecider);
    this.nodes = new AggregateHandler(store, nodeDecider);
  }

  @JetStreamHandler({ durable: 'cluster__reactors', events: REACTS_TO })
  async react(envelope: EnvelopeOf<typeof REACTS_TO>, { trx }: HandlerContext): Promise<void> {
    const now = this.clock().toISOString();
    switch (envelope.type) {
      case 'ClusterCapacityCordonsLifted': {
        const d = envelope.data;
        for (const nodeName of d.nodeNames) {
          if (!(await this.nodeIsPresent(d.clusterId, nodeName, trx))) continue;
          await this.nodes.handle(
            nodeStreamId(d.clusterId, nodeName),
            { type: 'LiftCapacityCordon', clusterId: d.clusterId, nodeName, now },
            { trx },
          );
        }
        return;
      }
      case 'NodeRemoved': {
        const d = envelope.data;
        if ((await this.store.streamVersion(clusterStreamId(d.clusterId), trx)) === 0) return;
        await this.clusters.handle(
          clusterStreamId(d.clusterId),
          { type: 'RecordNodeRemoved', clusterId: d.clusterId, nodeName: d.nodeName, now },
          { trx },
        );
        if (d.releaseMachine) await this.release(d.releaseMachine);
        return;
      }
      case 'ClusterDeleted': {
        const d = envelope.data;
        for (const nodeName of d.nodeNames) {
          if (!(await this.nodeIsPresent(d.clusterId, nodeName, trx))) continue;
          await this.nodes.handle(
            nodeStreamId(d.clusterId, nodeName),
            { type: 'RemoveNode', clusterId: d.clusterId, nodeName, reason: 'cluster-deleted', now },
            { trx },
          );
        }
        return;
      }
    }
  }

  private async nodeIsPresent(clusterId: string, nodeName: string, trx: Trx): Promise<boolean> {
    const { state } = await this.nodes.load(nodeStreamId(clusterId, nodeName), trx);
    return state.status === 'present';
  }

  /** Providers' release is idempotent, so a redelivery after a rolled-back transaction is harmless. */
  private async release(machine: { provider: string; machineId: string }): Promise<void> {
    if (!this.providers.names().includes(machine.provider)) {
      this.logger.warn(
        { provider: machine.provider, machineId: machine.machineId },
        'no such machine provider here; machine not released',
      );
      return;
    }
    await this.providers.get(machine.provider).release(machine.machineId);
  }
}
