import { Inject, Injectable } from '@nestjs/common';
import type { EventDefinition, WithEventData } from '@edgeplane/contracts';
import { ValidationError } from '@edgeplane/es-kit';
import {
  AggregateHandler,
  withVersionRetry,
  type Db,
  type EventStore,
  type StoredEvent,
  type Trx,
} from '@edgeplane/eventstore';
import { DB, EVENT_STORE, SCHEMA, type PageRequest } from '@edgeplane/service-kit';
import type { ActiveCluster } from '../cluster/cluster.state.js';
import { inSchema, type SchemaQueries } from '../db/database.js';
import { resolveCluster, type ClusterRefInput } from '../read-model/clusters.queries.js';
import { getNode, listNodesPage, nodeConditions } from '../read-model/nodes.queries.js';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../tokens.js';
import { nodeDecider, nodeStreamId, type NodeCommand } from './node.decider.js';
import type { CordonNode, DrainNode, UncordonNode } from './node.lifecycle.decide.js';
import type { LabelNode, TaintNode } from './node.layers.decide.js';
import { NODE_EVENTS, type NodeEvent, type NodeState } from './node.state.js';
import { timelineEntry } from './node.timeline.js';
import { effectiveLabels, parseLabelSelector, type NodeDetailView, type NodeView } from './node.views.js';

export interface NodeRefInput {
  cluster?: ClusterRefInput | null;
  name?: string;
}

/** What the target node and the time already say: an operator's change names only what it changes. */
type Change<C> = C extends unknown ? Omit<C, 'clusterId' | 'nodeName' | 'now'> : never;
export type NodeChange =
  | Change<LabelNode | TaintNode | CordonNode | UncordonNode>
  | Omit<Change<DrainNode>, 'requestId'>;

/** Node lifecycle (F-NO-6/7): operator commands on the Node aggregate and the node read model. */
@Injectable()
export class NodeHandler {
  private readonly nodes: AggregateHandler<NodeState, NodeCommand, NodeEvent>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DB) private readonly db: Db,
    @Inject(SCHEMA) private readonly schema: string,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {
    this.nodes = new AggregateHandler(store, nodeDecider);
  }

  private read(trx?: Trx): SchemaQueries {
    return inSchema(trx ?? this.db, this.schema);
  }

  private async target(
    ref: NodeRefInput | null | undefined,
  ): Promise<{ cluster: ActiveCluster; nodeName: string }> {
    const cluster = await resolveCluster(this.read(), ref?.cluster);
    const nodeName = (ref?.name ?? '').trim();
    if (!nodeName) throw ValidationError.field('node.name', 'name the node');
    return { cluster, nodeName };
  }

  async change(ref: NodeRefInput | null | undefined, change: NodeChange): Promise<NodeView> {
    const { cluster, nodeName } = await this.target(ref);
    const clusterId = cluster.spec.clusterId;
    const now = this.clock().toISOString();
    const command: NodeCommand =
      change.type === 'DrainNode'
        ? { ...change, clusterId, nodeName, requestId: this.ids.requestId(), now }
        : { ...change, clusterId, nodeName, now };
    await this.nodes.handle(nodeStreamId(clusterId, nodeName), command);
    return this.view(cluster, nodeName);
  }

  /** Script nodes: the record only; provider nodes: the reactor then has the provider release the machine. */
  async remove(
    ref: NodeRefInput | null | undefined,
  ): Promise<{ clusterId: string; nodeName: string; releaseRequested: boolean; revokedSerial: string }> {
    const { cluster, nodeName } = await this.target(ref);
    const clusterId = cluster.spec.clusterId;
    const stream = nodeStreamId(clusterId, nodeName);
    const command: NodeCommand = {
      type: 'RemoveNode',
      clusterId,
      nodeName,
      reason: 'operator',
      now: this.clock().toISOString(),
    };
    // Decided here rather than through `handle`, to answer with what the removal released and revoked.
    const events = await withVersionRetry(async () => {
      const { state, version } = await this.nodes.load(stream);
      const decided = nodeDecider.decide(command, state);
      await this.store.append(stream, version, decided);
      return decided;
    });
    const removed = events.flatMap((e) => (e.type === 'NodeRemoved' ? [e.data] : []))[0];
    return {
      clusterId,
      nodeName,
      releaseRequested: Boolean(removed?.releaseMachine),
      revokedSerial: removed?.revokedCredentialSerial ?? '',
    };
  }

  async list(
    clusterRef: ClusterRefInput | null | undefined,
    labelSelector: string | undefined,
    page: PageRequest,
  ): Promise<{ cluster: ActiveCluster; nodes: NodeView[]; nextPageToken: string }> {
    const matches = parseLabelSelector(labelSelector ?? '');
    const cluster = await resolveCluster(this.read(), clusterRef);
    const { items: nodes, nextPageToken } = await listNodesPage(
      this.read(),
      cluster.spec.clusterId,
      (n) => matches(effectiveLabels(n)),
      page,
    );
    const conditions = await nodeConditions(
      this.read(),
      cluster.spec.clusterId,
      nodes.map((n) => n.nodeName),
    );
    return {
      cluster,
      nodes: nodes.map((node) => ({ cluster, node, conditions: conditions.get(node.nodeName) ?? [] })),
      nextPageToken,
    };
  }

  async get(ref: NodeRefInput | null | undefined): Promise<NodeDetailView> {
    const { cluster, nodeName } = await this.target(ref);
    const view = await this.view(cluster, nodeName);
    // The timeline is read from the event log: this incarnation of the node (since its last join).
    const events = (await this.store.readStream(nodeStreamId(cluster.spec.clusterId, nodeName))).filter((e) =>
      isOneOf(e, NODE_EVENTS),
    );
    const start = events.findLastIndex((e) => e.type === 'NodeJoined');
    const timeline = events.slice(Math.max(start, 0)).map(timelineEntry);
    return { ...view, timeline };
  }

  private async view(cluster: ActiveCluster, nodeName: string): Promise<NodeView> {
    const node = await getNode(this.read(), cluster.spec.clusterId, nodeName);
    const conditions =
      (await nodeConditions(this.read(), cluster.spec.clusterId, [nodeName])).get(nodeName) ?? [];
    return { cluster, node, conditions };
  }
}

/** A stored event is one of these catalogue events (type and schema version): its data has their shape. */
function isOneOf<const Ds extends readonly EventDefinition[]>(
  event: StoredEvent,
  defs: Ds,
): event is StoredEvent & WithEventData<StoredEvent, Ds> {
  return defs.some((d) => d.type === event.type && d.version === event.version);
}
