import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ValidationError } from '@edgeplane/es-kit';
import { AggregateHandler, type EventStore } from '@edgeplane/eventstore';
import { EVENT_STORE } from '@edgeplane/service-kit';
import { ReadModel, type ClusterRefInput, type ConditionRow } from '../app/read-model.js';
import type { ActiveCluster } from '../cluster/cluster.decider.js';
import { CLOCK, type Clock } from '../tokens.js';
import {
  effectiveLabels,
  nodeDecider,
  nodeStreamId,
  type NodeCommand,
  type NodeEvent,
  type NodeState,
  type PresentNode,
} from './node.decider.js';
import { timelineEntry, type TimelineEntry } from './node.timeline.js';

export interface NodeRefInput {
  cluster?: ClusterRefInput | null;
  name?: string;
}

export interface NodeView {
  cluster: ActiveCluster;
  node: PresentNode;
  conditions: ConditionRow[];
}

export interface NodeDetailView extends NodeView {
  timeline: TimelineEntry[];
}

type NodeChange =
  | { type: 'LabelNode'; set?: Record<string, string>; remove?: string[] }
  | {
      type: 'TaintNode';
      set?: { key: string; value?: string; effect: string }[];
      remove?: { key: string; effect?: string }[];
    }
  | { type: 'CordonNode'; reason?: string }
  | { type: 'UncordonNode' }
  | { type: 'DrainNode'; gracePeriodSeconds?: number };

/** Node lifecycle (F-NO-6/7): operator commands on the Node aggregate and the node read model. */
@Injectable()
export class NodeHandler {
  readonly nodes: AggregateHandler<NodeState, NodeCommand, NodeEvent>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ReadModel) private readonly read: ReadModel,
  ) {
    this.nodes = new AggregateHandler(store, nodeDecider);
  }

  private async target(
    ref: NodeRefInput | null | undefined,
  ): Promise<{ cluster: ActiveCluster; nodeName: string }> {
    const cluster = await this.read.resolveCluster(ref?.cluster);
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
        ? { ...change, clusterId, nodeName, requestId: randomUUID(), now }
        : ({ ...change, clusterId, nodeName, now } as NodeCommand);
    await this.nodes.handle(nodeStreamId(clusterId, nodeName), command);
    return this.view(cluster, nodeName);
  }

  /** Script nodes: the record only; provider nodes: the reactor then has the provider release the machine. */
  async remove(
    ref: NodeRefInput | null | undefined,
  ): Promise<{ clusterId: string; nodeName: string; releaseRequested: boolean; revokedSerial: string }> {
    const { cluster, nodeName } = await this.target(ref);
    const clusterId = cluster.spec.clusterId;
    const result = await this.nodes.handle(nodeStreamId(clusterId, nodeName), {
      type: 'RemoveNode',
      clusterId,
      nodeName,
      reason: 'operator',
      now: this.clock().toISOString(),
    });
    const removed = result.events.find((e) => e.type === 'NodeRemoved')?.data as
      | { releaseMachine: unknown; revokedCredentialSerial: string | null }
      | undefined;
    return {
      clusterId,
      nodeName,
      releaseRequested: Boolean(removed?.releaseMachine),
      revokedSerial: removed?.revokedCredentialSerial ?? '',
    };
  }

  async list(
    clusterRef: ClusterRefInput | null | undefined,
    labelSelector?: string,
  ): Promise<{ cluster: ActiveCluster; nodes: NodeView[] }> {
    const cluster = await this.read.resolveCluster(clusterRef);
    const matches = parseLabelSelector(labelSelector ?? '');
    const nodes = (await this.read.listNodes(cluster.spec.clusterId)).filter((n) =>
      matches(effectiveLabels(n)),
    );
    const conditions = await this.read.conditions(
      cluster.spec.clusterId,
      nodes.map((n) => n.nodeName),
    );
    return {
      cluster,
      nodes: nodes.map((node) => ({ cluster, node, conditions: conditions.get(node.nodeName) ?? [] })),
    };
  }

  async get(ref: NodeRefInput | null | undefined): Promise<NodeDetailView> {
    const { cluster, nodeName } = await this.target(ref);
    const view = await this.view(cluster, nodeName);
    // The timeline is read from the event log: this incarnation of the node (since its last join).
    const events = await this.store.readStream(nodeStreamId(cluster.spec.clusterId, nodeName));
    let start = 0;
    events.forEach((e, i) => {
      if (e.type === 'NodeJoined') start = i;
    });
    const timeline = events
      .slice(start)
      .map((e) => timelineEntry({ type: e.type, data: e.data } as NodeEvent));
    return { ...view, timeline };
  }

  private async view(cluster: ActiveCluster, nodeName: string): Promise<NodeView> {
    const node = await this.read.getNode(cluster.spec.clusterId, nodeName);
    const conditions = (await this.read.conditions(cluster.spec.clusterId, [nodeName])).get(nodeName) ?? [];
    return { cluster, node, conditions };
  }
}

/** Equality-based Kubernetes label selector: `k=v`, `k==v`, `k!=v`, `k`, `!k`, comma-separated. */
export function parseLabelSelector(selector: string): (labels: Record<string, string>) => boolean {
  const terms = selector
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .map((term) => {
      const ne = term.indexOf('!=');
      if (ne > 0) {
        const [k, v] = [term.slice(0, ne).trim(), term.slice(ne + 2).trim()];
        return (l: Record<string, string>) => l[k] !== v;
      }
      const eq = term.indexOf('=');
      if (eq > 0) {
        const k = term.slice(0, eq).trim();
        const v = term.slice(term[eq + 1] === '=' ? eq + 2 : eq + 1).trim();
        return (l: Record<string, string>) => l[k] === v;
      }
      if (term.startsWith('!')) {
        const k = term.slice(1).trim();
        return (l: Record<string, string>) => !(k in l);
      }
      if (/[\s()]/.test(term))
        throw ValidationError.field('labelSelector', `unsupported selector term "${term}"`);
      return (l: Record<string, string>) => term in l;
    });
  return (labels) => terms.every((t) => t(labels));
}
