import { catalogue, publicEventScope, type Envelope } from '@edgeplane/contracts';
import { stableUid, type KubeObject } from '../resources/resource.js';

/**
 * Domain events → Kubernetes Events (core/v1). Which events become Events, the object each is
 * about, its sentence and whether it is a Warning: one rule per event type. The public event types
 * (libs/contracts/src/public-events.ts) all have one; of the internal ones, those an operator reads
 * on a node's or grid's history (operator taints, drains, pod placement). Any other type is not an
 * Event here (credentials, tokens, usage, internal bookkeeping).
 */

/** What an Event is about (its `involvedObject`); cluster-scoped kinds have no namespace. */
export interface InvolvedObject {
  kind: string;
  apiVersion: string;
  name: string;
  namespace?: string;
}

/** A grid's kind and namespace (rollout and pod events name only the grid). */
export type GridInfo = { kind: string; namespace: string };
export type GridResolver = (name: string) => GridInfo | undefined;

type Data = Record<string, unknown>;

interface EventRule {
  involved(d: Data, grid: GridResolver): InvolvedObject;
  message(d: Data): string;
  /** Warning (evictions, NotReady, failed rollouts and promotions); Normal otherwise */
  warning?(d: Data): boolean;
}

const SITE = 'site.superedge.io/v1alpha2';
const GRIDS = 'superedge.io/v1';

const s = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
/** "a, b and 3 more" — messages stay one readable line */
function names(v: unknown, max = 5): string {
  const all = list(v);
  if (all.length === 0) return 'none';
  const shown = all.slice(0, max).join(', ');
  return all.length > max ? `${shown} and ${all.length - max} more` : shown;
}
function labels(v: unknown): string {
  const entries = Object.entries((v ?? {}) as Record<string, unknown>);
  return entries.length ? entries.map(([k, x]) => `${k}=${s(x)}`).join(', ') : '';
}
function taints(v: unknown): string {
  const all = Array.isArray(v) ? (v as Data[]) : [];
  return all.map((t) => `${s(t.key)}${t.value ? `=${s(t.value)}` : ''}:${s(t.effect)}`).join(', ');
}

const node = (d: Data): InvolvedObject => ({
  kind: 'Node',
  apiVersion: 'v1',
  name: s(d.nodeName) || s(d.node),
});
const unit = (d: Data): InvolvedObject => ({
  kind: 'NodeUnit',
  apiVersion: SITE,
  name: s(d.name) || s(d.unit),
});
const group = (d: Data): InvolvedObject => ({ kind: 'NodeGroup', apiVersion: SITE, name: s(d.name) });
const cluster = (d: Data): InvolvedObject => ({
  kind: 'Cluster',
  apiVersion: 'edgeplane.io/v1',
  name: s(d.name) || s(d.clusterId),
});
/** a grid named in `d.name` (`d.kind` when the event says; else the grid service's answer) */
function gridOf(d: Data, resolve: GridResolver, name = s(d.name)): InvolvedObject {
  const manifestNs = s(((d.manifest as Data | undefined)?.metadata as Data | undefined)?.namespace);
  const known = resolve(name);
  return {
    kind: s(d.kind) || known?.kind || 'DeploymentGrid',
    apiVersion: GRIDS,
    name,
    namespace: manifestNs || known?.namespace || 'default',
  };
}
const pod = (d: Data, resolve: GridResolver): InvolvedObject => ({
  kind: 'Pod',
  apiVersion: 'v1',
  name: s(d.pod),
  namespace: resolve(s(d.grid))?.namespace || 'default',
});

function unitSpec(d: Data): string {
  const parts = [`type ${s(d.type) || 'edge'}`];
  if (d.allNodes === true) parts.push('every node');
  else if (list(d.nodes).length) parts.push(`nodes ${names(d.nodes)}`);
  const sel = d.selector as { matchLabels?: Data } | undefined;
  if (sel?.matchLabels && Object.keys(sel.matchLabels).length)
    parts.push(`selector ${labels(sel.matchLabels)}`);
  return parts.join(', ');
}
function groupSpec(d: Data): string {
  const parts: string[] = [];
  if (list(d.nodeUnits).length) parts.push(`units ${names(d.nodeUnits)}`);
  const sel = d.selector as { matchLabels?: Data } | undefined;
  if (sel?.matchLabels && Object.keys(sel.matchLabels).length)
    parts.push(`unit selector ${labels(sel.matchLabels)}`);
  if (list(d.autoFindNodeKeys).length) parts.push(`one unit per value of ${names(d.autoFindNodeKeys)}`);
  return parts.length ? parts.join(', ') : 'no units yet';
}
const wave = (d: Data) => `wave ${Number(d.wave) + 1}${d.waves ? ` of ${s(d.waves)}` : ''}`;

export const EVENT_RULES: Readonly<Record<string, EventRule>> = Object.freeze({
  // cluster service
  ClusterCreated: {
    involved: cluster,
    message: (d) =>
      `Cluster ${s(d.name)} created: Kubernetes ${s(d.kubernetesVersion)} on ${s(d.runtime)}, region ${s(d.region)}, tier ${s(d.tier)}`,
  },
  ClusterDeleted: {
    involved: cluster,
    message: (d) => `Cluster ${s(d.name)} deleted with its ${list(d.nodeNames).length} node(s)`,
    warning: () => true,
  },
  NodeJoined: {
    involved: node,
    message: (d) => {
      const inv = (d.inventory ?? {}) as Data;
      const src = (d.source ?? {}) as Data;
      const how =
        src.kind === 'provider' ? `provider ${s(src.provider)} machine ${s(src.machineId)}` : 'join script';
      return `Node ${s(d.nodeName)} joined the cluster (${how}; ${s(inv.arch)}, ${s(inv.os)}, ${list(inv.ips).join(', ')})`;
    },
  },
  NodeRemoved: {
    involved: node,
    message: (d) =>
      d.reason === 'cluster-deleted'
        ? `Node ${s(d.nodeName)} removed: the cluster was deleted`
        : `Node ${s(d.nodeName)} removed by the operator; its credential is revoked`,
  },
  NodeCordoned: {
    involved: node,
    message: (d) =>
      d.holder === 'tier-capacity'
        ? `Node ${s(d.nodeName)} cordoned: it joined beyond the tier's node cap${d.reason ? ` (${s(d.reason)})` : ''}`
        : `Node ${s(d.nodeName)} cordoned by the operator${d.reason ? `: ${s(d.reason)}` : ''}`,
    warning: (d) => d.holder === 'tier-capacity',
  },
  NodeUncordoned: {
    involved: node,
    message: (d) =>
      list(d.stillCordonedBy).length
        ? `Node ${s(d.nodeName)}: the ${s(d.holder)} cordon is lifted; still cordoned by ${names(d.stillCordonedBy)}`
        : `Node ${s(d.nodeName)} uncordoned (${s(d.holder)}): schedulable again`,
  },
  NodeLabelsChanged: {
    involved: node,
    message: (d) => {
      const set = labels(d.set);
      const removed = list(d.removed);
      return `Labels of node ${s(d.nodeName)} changed:${set ? ` set ${set}` : ''}${set && removed.length ? ';' : ''}${removed.length ? ` removed ${removed.join(', ')}` : ''}`;
    },
  },
  NodeTaintsChanged: {
    involved: node,
    message: (d) => {
      const added = taints(d.added);
      const removed = taints(d.removed);
      return `Operator taints of node ${s(d.nodeName)} changed:${added ? ` added ${added}` : ''}${added && removed ? ';' : ''}${removed ? ` removed ${removed}` : ''}`;
    },
  },
  NodeDrainRequested: {
    involved: node,
    message: (d) =>
      `Drain of node ${s(d.nodeName)} requested: its pods are evicted and placed again inside their unit (grace ${s(d.gracePeriodSeconds)} s)`,
  },
  // health-arbiter
  NodeVerdictChanged: {
    involved: node,
    message: (d) => {
      const cond = (d.condition ?? {}) as Data;
      return `Node ${s(d.node)} is ${s(d.verdict)}${d.previous ? ` (was ${s(d.previous)})` : ''}: ${s(cond.message) || s(cond.reason)} [rule ${s(d.rule)}]`;
    },
    warning: (d) => d.verdict !== 'Ready' && d.verdict !== 'Unknown',
  },
  NodeEvictionRequested: {
    involved: node,
    message: (d) => `Eviction of the pods of node ${s(d.node)} requested: ${s(d.reason)} [rule ${s(d.rule)}]`,
    warning: () => true,
  },
  // nodepool
  NodeUnitCreated: {
    involved: unit,
    message: (d) => `NodeUnit ${s(d.name)} created (${unitSpec(d)})`,
  },
  NodeUnitUpdated: {
    involved: unit,
    message: (d) => `NodeUnit ${s(d.name)} updated (${unitSpec(d)})`,
  },
  NodeUnitDeleted: { involved: unit, message: (d) => `NodeUnit ${s(d.name)} deleted` },
  NodeUnitMembersChanged: {
    involved: unit,
    message: (d) => {
      const parts = [];
      if (list(d.added).length) parts.push(`joined: ${names(d.added)}`);
      if (list(d.removed).length) parts.push(`left: ${names(d.removed)}`);
      return `NodeUnit ${s(d.name)} members changed (${parts.join('; ') || 'no change'}); ${list(d.members).length} node(s) now`;
    },
  },
  NodeUnitUpgradedToK3s: {
    involved: unit,
    message: (d) =>
      `NodeUnit ${s(d.unit)} promoted to an independent K3s cluster (generation ${s(d.generation)}${d.k3sVersion ? `, K3s ${s(d.k3sVersion)}` : ''}${d.apiServerEndpoint ? `, API ${s(d.apiServerEndpoint)}` : ''})`,
  },
  NodeUnitDemotedFromK3s: {
    involved: unit,
    message: (d) =>
      `NodeUnit ${s(d.unit)} demoted from K3s (generation ${s(d.generation)}): managed by the cloud again`,
  },
  KinsClusterFailed: {
    involved: unit,
    message: (d) =>
      `The K3s cluster of NodeUnit ${s(d.unit)} failed (generation ${s(d.generation)}): ${s(d.reason)}`,
    warning: () => true,
  },
  NodeGroupCreated: { involved: group, message: (d) => `NodeGroup ${s(d.name)} created (${groupSpec(d)})` },
  NodeGroupUpdated: { involved: group, message: (d) => `NodeGroup ${s(d.name)} updated (${groupSpec(d)})` },
  NodeGroupDeleted: { involved: group, message: (d) => `NodeGroup ${s(d.name)} deleted` },
  NodeGroupUnitsChanged: {
    involved: group,
    message: (d) => {
      const parts = [];
      if (list(d.added).length) parts.push(`added ${names(d.added)}`);
      if (list(d.removed).length) parts.push(`removed ${names(d.removed)}`);
      return `NodeGroup ${s(d.name)} units changed (${parts.join('; ') || 'no change'}); ${list(d.units).length} unit(s) now`;
    },
  },
  // grid
  GridApplied: {
    involved: (d, r) => gridOf(d, r),
    message: (d) => `${s(d.kind)} ${s(d.name)} applied (generation ${s(d.generation)})`,
  },
  GridDeleted: {
    involved: (d, r) => gridOf(d, r),
    message: (d) => `${s(d.kind)} ${s(d.name)} deleted`,
  },
  RolloutWaveStarted: {
    involved: (d, r) => gridOf(d, r),
    message: (d) =>
      `Rollout of ${s(d.name)} generation ${s(d.generation)}: ${wave(d)} started on units ${names(d.units)}`,
  },
  RolloutWaveCompleted: {
    involved: (d, r) => gridOf(d, r),
    message: (d) =>
      `Rollout of ${s(d.name)} generation ${s(d.generation)}: ${wave(d)} completed on units ${names(d.units)}${d.done ? '; the rollout is done' : ''}`,
  },
  RolloutWaveHalted: {
    involved: (d, r) => gridOf(d, r),
    message: (d) =>
      `Rollout of ${s(d.name)} generation ${s(d.generation)} halted at ${wave(d)} (units ${names(d.units)}): ${s(d.reason)}`,
    warning: () => true,
  },
  RolloutProgressed: {
    involved: (d, r) => gridOf(d, r),
    message: (d) => `Rollout of ${s(d.name)} generation ${s(d.generation)} progressed in ${wave(d)}`,
  },
  RolloutPaused: {
    involved: (d, r) => gridOf(d, r),
    message: (d) => `Rollout of ${s(d.name)} generation ${s(d.generation)} paused`,
  },
  RolloutResumed: {
    involved: (d, r) => gridOf(d, r),
    message: (d) => `Rollout of ${s(d.name)} generation ${s(d.generation)} resumed`,
  },
  RolloutUndone: {
    involved: (d, r) => gridOf(d, r),
    message: (d) =>
      `Rollout of ${s(d.name)} undone: generation ${s(d.generation)} rolled back to generation ${s(d.restoredGeneration)}`,
    warning: () => true,
  },
  PodScheduled: {
    involved: pod,
    message: (d) =>
      d.previousNode
        ? `Pod ${s(d.pod)} of ${s(d.grid)} moved from node ${s(d.previousNode)} to node ${s(d.node)} (unit ${s(d.unit)})`
        : `Pod ${s(d.pod)} of ${s(d.grid)} placed on node ${s(d.node)} (unit ${s(d.unit)})`,
  },
  PodUnscheduled: {
    involved: pod,
    message: (d) =>
      d.pending
        ? `Pod ${s(d.pod)} of ${s(d.grid)} is Pending in unit ${s(d.unit)}: ${s(d.reason)}`
        : `Pod ${s(d.pod)} of ${s(d.grid)} removed${d.node ? ` from node ${s(d.node)}` : ''}${d.reason ? `: ${s(d.reason)}` : ''}`,
    warning: (d) => d.pending === true,
  },
});

/** Event types that become Kubernetes Events. */
export const HISTORY_TYPES: readonly string[] = Object.keys(EVENT_RULES);

/** Where an event was read: its stream (logical name) and sequence there. */
export interface EventOrigin {
  source: string;
  seq: number;
}

/** One-letter codes of the source streams in event names and resource versions. */
export const SOURCE_CODES: Readonly<Record<string, string>> = Object.freeze({
  EDGEPLANE_CLUSTER: 'c',
  EDGEPLANE_GRID: 'g',
  EDGEPLANE_HEALTH: 'h',
  EDGEPLANE_NODEPOOL: 'n',
});
export const SOURCE_OF_CODE: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(Object.entries(SOURCE_CODES).map(([k, v]) => [v, k])),
);

/** Everything a filter reads of an event without building the object. */
export interface HistoryEntry {
  envelope: Envelope;
  origin: EventOrigin;
  involved: InvolvedObject;
  /** nodes and units the event is about (public scope), for the node/unit filters */
  nodes: string[];
  units: string[];
  warning: boolean;
  /** ms since the epoch */
  time: number;
}

/** The entry of a decoded envelope of `clusterId`, or undefined (another cluster, not an Event type). */
export function historyEntry(
  envelope: Envelope,
  origin: EventOrigin,
  clusterId: string,
  grid: GridResolver,
): HistoryEntry | undefined {
  const rule = EVENT_RULES[envelope.type];
  if (!rule) return undefined;
  const d = envelope.data as Data;
  if (typeof d !== 'object' || d === null || d.clusterId !== clusterId) return undefined;
  const involved = rule.involved(d, grid);
  if (!involved.name) return undefined;
  const scope = publicEventScope(envelope.type, d);
  const nodes = new Set(scope?.nodes ?? []);
  const units = new Set(scope?.units ?? []);
  if (involved.kind === 'Node') nodes.add(involved.name);
  if (involved.kind === 'NodeUnit') units.add(involved.name);
  // a unit's explicit members (its members-changed events name the ones that came and went)
  if (envelope.type === 'NodeUnitCreated' || envelope.type === 'NodeUnitUpdated')
    for (const n of Array.isArray(d.nodes) ? d.nodes : []) if (typeof n === 'string') nodes.add(n);
  if (envelope.type === 'PodScheduled' || envelope.type === 'PodUnscheduled') {
    for (const n of [d.node, d.previousNode]) if (typeof n === 'string' && n) nodes.add(n);
    if (typeof d.unit === 'string') units.add(d.unit);
  }
  const time = Date.parse(envelope.occurredAt);
  return {
    envelope,
    origin,
    involved,
    nodes: [...nodes],
    units: [...units],
    warning: rule.warning?.(d) ?? false,
    time: Number.isNaN(time) ? 0 : time,
  };
}

/** The Event's name: `<object>.<stream code><sequence in hex>` (get reads it back from there). */
export function eventName(e: Pick<HistoryEntry, 'involved' | 'origin'>): string {
  return `${e.involved.name}.${SOURCE_CODES[e.origin.source] ?? 'x'}${e.origin.seq.toString(16)}`;
}

/** The origin a name points at, or undefined when it is not one of ours. */
export function originOfName(name: string): EventOrigin | undefined {
  const m = /\.([a-z])([0-9a-f]{1,13})$/.exec(name);
  const source = m ? SOURCE_OF_CODE[m[1] as string] : undefined;
  if (!m || !source) return undefined;
  const seq = parseInt(m[2] as string, 16);
  return Number.isSafeInteger(seq) && seq > 0 ? { source, seq } : undefined;
}

/** The namespace an Event lives in: its object's, `default` for cluster-scoped objects (as Kubernetes does). */
export function eventNamespace(e: Pick<HistoryEntry, 'involved'>): string {
  return e.involved.namespace ?? 'default';
}

/** The core/v1 Event of an entry. */
export function kubeEvent(e: HistoryEntry, clusterId: string, resourceVersion: string): KubeObject {
  const rule = EVENT_RULES[e.envelope.type]!;
  const when = new Date(e.time).toISOString();
  const emitter = catalogue.find(e.envelope.type, e.envelope.version)?.emitter ?? 'edgeplane';
  const inv = e.involved;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: eventName(e),
      namespace: eventNamespace(e),
      uid: e.envelope.id,
      resourceVersion,
      creationTimestamp: when.replace(/\.\d{3}Z$/, 'Z'),
      annotations: {
        'edgeplane.io/event-id': e.envelope.id,
        'edgeplane.io/stream': `${e.origin.source}:${e.origin.seq}`,
        ...(e.envelope.metadata.actor ? { 'edgeplane.io/actor': e.envelope.metadata.actor } : {}),
      },
    },
    involvedObject: {
      kind: inv.kind,
      apiVersion: inv.apiVersion,
      name: inv.name,
      ...(inv.namespace ? { namespace: inv.namespace } : {}),
      uid: involvedUid(clusterId, inv),
    },
    reason: e.envelope.type,
    message: rule.message(e.envelope.data as Data),
    type: e.warning ? 'Warning' : 'Normal',
    source: { component: emitter },
    firstTimestamp: when.replace(/\.\d{3}Z$/, 'Z'),
    lastTimestamp: when.replace(/\.\d{3}Z$/, 'Z'),
    eventTime: when.replace(/Z$/, '000Z'),
    count: 1,
    action: e.envelope.type,
    reportingComponent: `edgeplane.io/${emitter}`,
    reportingInstance: '',
  };
}

/** The uid the kube API gives the involved object (resources/*.ts `stableUid`), so describe finds them. */
export function involvedUid(clusterId: string, inv: InvolvedObject): string {
  switch (inv.kind) {
    case 'Node':
      return stableUid(clusterId, 'node', inv.name);
    case 'NodeUnit':
    case 'NodeGroup':
      return stableUid(clusterId, inv.kind.toLowerCase(), inv.name);
    case 'Pod':
      return stableUid(clusterId, 'pod', inv.name);
    case 'Cluster':
      return stableUid(clusterId, 'cluster', inv.name);
    default:
      return stableUid(clusterId, 'grid', inv.name);
  }
}
