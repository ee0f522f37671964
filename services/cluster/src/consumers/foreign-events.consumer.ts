import { Inject, Injectable } from '@nestjs/common';
import {
  NodeMembershipChanged,
  NodeVerdictChanged,
  type Envelope,
  type EnvelopeOf,
} from '@edgeplane/contracts';
import { DomainError } from '@edgeplane/es-kit';
import { AggregateHandler, type EventStore, type Trx } from '@edgeplane/eventstore';
import { JetStreamHandler, type HandlerContext } from '@edgeplane/messaging';
import type { Logger } from '@edgeplane/observability';
import { EVENT_STORE, LOGGER, SCHEMA } from '@edgeplane/service-kit';
import { inSchema } from '../db/database.js';
import { nodeDecider, nodeStreamId, type NodeCommand } from '../node/node.decider.js';
import { annotationLayers, type NodeEvent, type NodeState, type PresentNode } from '../node/node.state.js';
import { CLOCK, type Clock } from '../tokens.js';

const NODEPOOL_OWNER = 'nodepool';
const HEALTH_OWNER = 'health-arbiter';

/**
 * Layers other services own on the node read model (docs/architecture.md, "Who owns which node
 * labels"): nodepool's membership labels and taints, the health-arbiter's taints and Ready
 * condition. Events about nodes this instance does not hold are acked with no effect; a layer
 * the node decider refuses (it can never succeed on retry) is logged and skipped.
 */
@Injectable()
export class ForeignEventsConsumer {
  private readonly nodes: AggregateHandler<NodeState, NodeCommand, NodeEvent>;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(SCHEMA) private readonly schema: string,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.nodes = new AggregateHandler(store, nodeDecider);
  }

  /**
   * NodeMembershipChanged carries nodepool's FULL layer (labels, annotations, taints): set what is
   * in it, remove what is gone — all in the handler's one transaction.
   */
  @JetStreamHandler({ durable: 'cluster__nodepool-membership', events: [NodeMembershipChanged] })
  async onMembership(
    envelope: EnvelopeOf<typeof NodeMembershipChanged>,
    { trx }: HandlerContext,
  ): Promise<void> {
    const d = envelope.data;
    const node = await this.presentNode(d.clusterId, d.node, trx);
    if (!node) return;
    if (!(await this.newer(trx, d.clusterId, d.node, 'nodepool-membership', d.streamVersion))) return;
    const now = this.clock().toISOString();
    const current = node.systemLabels[NODEPOOL_OWNER] ?? {};
    const remove = Object.keys(current).filter((key) => !(key in d.labels));
    await this.apply(envelope, trx, {
      type: 'ApplySystemLabels',
      clusterId: d.clusterId,
      nodeName: d.node,
      owner: NODEPOOL_OWNER,
      set: d.labels,
      remove,
      now,
    });
    const currentAnnotations = annotationLayers(node)[NODEPOOL_OWNER] ?? {};
    await this.apply(envelope, trx, {
      type: 'ApplySystemAnnotations',
      clusterId: d.clusterId,
      nodeName: d.node,
      owner: NODEPOOL_OWNER,
      set: d.annotations,
      remove: Object.keys(currentAnnotations).filter((key) => !(key in d.annotations)),
      now,
    });
    await this.apply(envelope, trx, {
      type: 'ApplySystemTaints',
      clusterId: d.clusterId,
      nodeName: d.node,
      owner: NODEPOOL_OWNER,
      taints: d.taints,
      now,
    });
  }

  /** NodeVerdictChanged: the arbiter's complete taint set for the node, and its Ready condition. */
  @JetStreamHandler({ durable: 'cluster__health-verdicts', events: [NodeVerdictChanged] })
  async onVerdict(envelope: EnvelopeOf<typeof NodeVerdictChanged>, { trx }: HandlerContext): Promise<void> {
    const d = envelope.data;
    if (!(await this.presentNode(d.clusterId, d.node, trx))) return;
    if (!(await this.newer(trx, d.clusterId, d.node, 'health-verdict', d.streamVersion))) return;
    await this.apply(envelope, trx, {
      type: 'ApplySystemTaints',
      clusterId: d.clusterId,
      nodeName: d.node,
      owner: HEALTH_OWNER,
      taints: d.taints,
      now: this.clock().toISOString(),
    });
    // Events without a version (stored before it existed) still keep to the order of their `at`.
    const { type, status, reason, message } = d.condition;
    await inSchema(trx, this.schema)
      .insertInto('node_conditions')
      .values({
        cluster_id: d.clusterId,
        node_name: d.node,
        type,
        status,
        reason,
        message,
        last_transition_at: d.at,
      })
      .onConflict((oc) =>
        oc
          .columns(['cluster_id', 'node_name', 'type'])
          .doUpdateSet((eb) => ({
            status: eb.ref('excluded.status'),
            reason: eb.ref('excluded.reason'),
            message: eb.ref('excluded.message'),
            last_transition_at: d.at,
          }))
          .where((eb) =>
            eb('node_conditions.last_transition_at', '<=', eb.ref('excluded.last_transition_at')),
          ),
      )
      .execute();
  }

  /**
   * Records `version` as the highest applied for the node's layer; false when one at least as
   * high was applied already (a late redelivery of an older full state: skip it). An event
   * without a version (stored before the field existed) applies as before.
   */
  private async newer(
    trx: Trx,
    clusterId: string,
    nodeName: string,
    source: string,
    version: number | undefined,
  ): Promise<boolean> {
    if (version === undefined) return true;
    const row = await inSchema(trx, this.schema)
      .insertInto('foreign_layer_versions')
      .values({ cluster_id: clusterId, node_name: nodeName, source, version })
      .onConflict((oc) =>
        oc
          .columns(['cluster_id', 'node_name', 'source'])
          .doUpdateSet({ version })
          .where('foreign_layer_versions.version', '<', version),
      )
      .returning('version')
      .executeTakeFirst();
    if (!row) this.logger.info({ clusterId, node: nodeName, source, version }, 'older full state skipped');
    return row !== undefined;
  }

  private async presentNode(clusterId: string, nodeName: string, trx: Trx): Promise<PresentNode | undefined> {
    const { state } = await this.nodes.load(nodeStreamId(clusterId, nodeName), trx);
    return state.status === 'present' ? state : undefined;
  }

  private async apply(
    envelope: Envelope,
    trx: Trx,
    command: NodeCommand & { clusterId: string; nodeName: string },
  ): Promise<void> {
    try {
      await this.nodes.handle(nodeStreamId(command.clusterId, command.nodeName), command, {
        trx,
        metadata: { causationId: envelope.id, correlationId: envelope.metadata.correlationId ?? envelope.id },
      });
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind === 'version_conflict') throw error;
      this.logger.warn(
        { type: envelope.type, id: envelope.id, command: command.type, err: error.message },
        'system layer refused; skipped',
      );
    }
  }
}
