import { Inject, Injectable } from '@nestjs/common';
import {
  HealthSettingsChanged,
  NodeMembershipChanged,
  UnitHealthCheckSwitched,
  type EnvelopeOf,
} from '@edgeplane/contracts';
import { JetStreamHandler, type HandlerContext } from '@edgeplane/messaging';
import { SCHEMA } from '@edgeplane/service-kit';
import { inSchema } from '../db/database.js';
import { recordClusterCreated, recordClusterDeleted } from '../read-model/clusters.queries.js';
import { recordNodeJoined, recordNodeRemoved, recordNodeUnits } from '../read-model/nodes.queries.js';
import { noticeInput } from '../runtime/input-sync.js';
import {
  CLUSTER_EVENTS_DURABLE,
  CLUSTER_INPUTS,
  MEMBERSHIP_DURABLE,
  SETTINGS_DURABLE,
} from '../runtime/inputs.js';

/**
 * The arbiter's domain inputs, through durable consumers (inbox + ack after commit): the cluster
 * service's ClusterCreated/ClusterDeleted/NodeJoined/NodeRemoved, nodepool's NodeMembershipChanged
 * (`units`), and its own settings events. The durables are shared by every replica of the schema,
 * so each event is applied ONCE to the shared read model; the same transaction NOTIFYs the
 * change and whichever replica judges the cluster (it holds the partition's lease) reads the row
 * back into its engine after the commit (runtime/input-sync.ts). Both steps are idempotent, so a
 * redelivery — or a rolled-back batch that is retried — is harmless; membership is a full state
 * and an older one (a late redelivery) never overwrites a newer one (`streamVersion`).
 */
const SETTINGS = [HealthSettingsChanged, UnitHealthCheckSwitched] as const;

@Injectable()
export class DomainInputsConsumer {
  constructor(@Inject(SCHEMA) private readonly schema: string) {}

  @JetStreamHandler({ durable: CLUSTER_EVENTS_DURABLE, events: CLUSTER_INPUTS })
  async onClusterEvent(envelope: EnvelopeOf<typeof CLUSTER_INPUTS>, ctx: HandlerContext): Promise<void> {
    const q = inSchema(ctx.trx, this.schema);
    switch (envelope.type) {
      case 'ClusterCreated': {
        const d = envelope.data;
        await recordClusterCreated(q, d);
        await noticeInput(ctx.trx, this.schema, { k: 'cluster', c: d.clusterId });
        return;
      }
      case 'ClusterDeleted': {
        await recordClusterDeleted(q, envelope.data.clusterId);
        await noticeInput(ctx.trx, this.schema, { k: 'cluster', c: envelope.data.clusterId });
        return;
      }
      case 'NodeJoined': {
        const d = envelope.data;
        await recordNodeJoined(q, { clusterId: d.clusterId, node: d.nodeName, joinedAt: d.joinedAt });
        await noticeInput(ctx.trx, this.schema, { k: 'node', c: d.clusterId, n: d.nodeName });
        return;
      }
      case 'NodeRemoved': {
        const d = envelope.data;
        await recordNodeRemoved(q, { clusterId: d.clusterId, node: d.nodeName });
        await noticeInput(ctx.trx, this.schema, { k: 'node', c: d.clusterId, n: d.nodeName });
        return;
      }
    }
  }

  @JetStreamHandler({ durable: MEMBERSHIP_DURABLE, events: [NodeMembershipChanged] })
  async onMembership(envelope: EnvelopeOf<typeof NodeMembershipChanged>, ctx: HandlerContext): Promise<void> {
    const d = envelope.data;
    const q = inSchema(ctx.trx, this.schema);
    const row = await recordNodeUnits(q, {
      clusterId: d.clusterId,
      node: d.node,
      units: d.units,
      version: d.streamVersion,
    });
    if (row) await noticeInput(ctx.trx, this.schema, { k: 'node', c: d.clusterId, n: d.node });
  }

  @JetStreamHandler({ durable: SETTINGS_DURABLE, events: SETTINGS })
  async onSettings(envelope: EnvelopeOf<typeof SETTINGS>, ctx: HandlerContext): Promise<void> {
    // The inline projection is committed with the event: the replica judging the cluster reads it.
    await noticeInput(ctx.trx, this.schema, { k: 'settings', c: envelope.data.clusterId });
  }
}
