import { Inject, Injectable } from '@nestjs/common';
import {
  ClusterCreated,
  ClusterDeleted,
  HealthSettingsChanged,
  NodeJoined,
  NodeMembershipChanged,
  NodeRemoved,
  UnitHealthCheckSwitched,
  type EnvelopeOf,
} from '@edgeplane/contracts';
import { JetStreamHandler, type HandlerContext } from '@edgeplane/messaging';
import { SCHEMA } from '@edgeplane/service-kit';
import { inSchema } from '../db/database.js';
import { recordClusterCreated, recordClusterDeleted } from '../read-model/clusters.queries.js';
import { recordNodeJoined, recordNodeRemoved, recordNodeUnits } from '../read-model/nodes.queries.js';
import { clusterSettings } from '../read-model/settings.queries.js';
import { HealthArbiter } from '../runtime/health-arbiter.runtime.js';
import { partitionDurable } from './partition-durable.js';

/**
 * The arbiter's domain inputs, through durable consumers (inbox + ack after commit): the cluster
 * service's ClusterCreated/ClusterDeleted/NodeJoined/NodeRemoved, nodepool's NodeMembershipChanged
 * (`units`), and its own settings events (so an instance that did not serve the SetConfig call
 * learns of it). Each handler updates the read model in the consumer's transaction and mirrors the
 * resulting row into the in-memory engine; both are idempotent upserts, so a redelivery — or a
 * rolled-back batch that is retried — is harmless.
 */
const CLUSTER_INPUTS = [ClusterCreated, ClusterDeleted, NodeJoined, NodeRemoved] as const;
const SETTINGS = [HealthSettingsChanged, UnitHealthCheckSwitched] as const;

@Injectable()
export class DomainInputsConsumer {
  constructor(
    @Inject(SCHEMA) private readonly schema: string,
    @Inject(HealthArbiter) private readonly arbiter: HealthArbiter,
  ) {}

  @JetStreamHandler({ durable: partitionDurable('health-arbiter__cluster-events'), events: CLUSTER_INPUTS })
  async onClusterEvent(envelope: EnvelopeOf<typeof CLUSTER_INPUTS>, ctx: HandlerContext): Promise<void> {
    const q = inSchema(ctx.trx, this.schema);
    switch (envelope.type) {
      case 'ClusterCreated': {
        const d = envelope.data;
        await recordClusterCreated(q, d);
        await this.arbiter.clusterCreated(d.clusterId, q);
        return;
      }
      case 'ClusterDeleted': {
        await recordClusterDeleted(q, envelope.data.clusterId);
        this.arbiter.clusterDeleted(envelope.data.clusterId);
        return;
      }
      case 'NodeJoined': {
        const d = envelope.data;
        const row = await recordNodeJoined(q, {
          clusterId: d.clusterId,
          node: d.nodeName,
          joinedAt: d.joinedAt,
        });
        this.arbiter.syncNode(d.clusterId, d.nodeName, row);
        return;
      }
      case 'NodeRemoved': {
        const d = envelope.data;
        await recordNodeRemoved(q, { clusterId: d.clusterId, node: d.nodeName });
        this.arbiter.syncNode(d.clusterId, d.nodeName, { present: false, joined_at: null, units: [] });
        return;
      }
    }
  }

  @JetStreamHandler({
    durable: partitionDurable('health-arbiter__membership'),
    events: [NodeMembershipChanged],
  })
  async onMembership(envelope: EnvelopeOf<typeof NodeMembershipChanged>, ctx: HandlerContext): Promise<void> {
    const d = envelope.data;
    const row = await recordNodeUnits(inSchema(ctx.trx, this.schema), {
      clusterId: d.clusterId,
      node: d.node,
      units: d.units,
    });
    this.arbiter.syncNode(d.clusterId, d.node, row);
  }

  @JetStreamHandler({ durable: partitionDurable('health-arbiter__settings'), events: SETTINGS })
  async onSettings(envelope: EnvelopeOf<typeof SETTINGS>, ctx: HandlerContext): Promise<void> {
    const { clusterId } = envelope.data;
    if (!this.arbiter.engine(clusterId)) return;
    // The inline projection is committed with the event: it holds the settings now in force.
    this.arbiter.applySettings(clusterId, await clusterSettings(inSchema(ctx.trx, this.schema), clusterId));
  }
}
