import { NotFoundError } from '@edgeplane/es-kit';
import {
  NodeCordoned,
  NodeCredentialIssued,
  NodeDrainRequested,
  NodeGpuDevicePluginChanged,
  NodeJoined,
  NodeLabelsChanged,
  NodeRemoved,
  NodeSystemAnnotationsChanged,
  NodeSystemLabelsChanged,
  NodeSystemTaintsChanged,
  NodeTaintsChanged,
  NodeUncordoned,
  type EventOf,
} from '@edgeplane/contracts';
import type { Taint } from '@edgeplane/k8s';

// ───────────────────────────── events ─────────────────────────────

/** The catalogue events of the Node aggregate (its projection and timeline read the same list). */
export const NODE_EVENTS = [
  NodeJoined,
  NodeCredentialIssued,
  NodeLabelsChanged,
  NodeSystemLabelsChanged,
  NodeTaintsChanged,
  NodeSystemTaintsChanged,
  NodeSystemAnnotationsChanged,
  NodeCordoned,
  NodeUncordoned,
  NodeDrainRequested,
  NodeGpuDevicePluginChanged,
  NodeRemoved,
] as const;

export type NodeEvent = EventOf<(typeof NODE_EVENTS)[number]>;

export type NodeEventOf<T extends NodeEvent['type']> = Extract<NodeEvent, { type: T }>;

/** Builds one event of the aggregate, its data checked against the event's type. */
export function nodeEvent<T extends NodeEvent['type']>(
  type: T,
  data: NodeEventOf<T>['data'],
): NodeEventOf<T> {
  return { type, data } as NodeEventOf<T>;
}

// ───────────────────────────── state ─────────────────────────────

export const ARCHES = ['x86_64', 'arm64', 'arm'] as const;
export type Arch = (typeof ARCHES)[number];
/** Kubernetes' name of an architecture (`kubernetes.io/arch`, `nodeInfo.architecture`). */
export const KUBERNETES_ARCH: Record<Arch, string> = { x86_64: 'amd64', arm64: 'arm64', arm: 'arm' };
export type NodeSource = { kind: 'script' } | { kind: 'provider'; provider: string; machineId: string };
export const CORDON_HOLDERS = ['operator', 'tier-capacity'] as const;
export type CordonHolder = (typeof CORDON_HOLDERS)[number];

export interface NodeInventory {
  arch: Arch;
  os: string;
  interface: string;
  ips: string[];
  gpuModel: string | null;
}

/** Owner name of the labels the cluster service itself sets at join. */
export const CLUSTER_LABEL_OWNER = 'cluster';

export interface PresentNode {
  status: 'present';
  clusterId: string;
  nodeName: string;
  source: NodeSource;
  tokenId: string | null;
  inventory: NodeInventory;
  joinedAt: string;
  /** Operator-owned labels. */
  labels: Record<string, string>;
  /** Labels by system owner (`cluster`, `nodepool`, …); an owner's keys are off limits to others. */
  systemLabels: Record<string, Record<string, string>>;
  /** Operator-owned taints. */
  taints: Taint[];
  /** Taints by system owner (`health-arbiter`, …). */
  systemTaints: Record<string, Taint[]>;
  /**
   * Annotations by system owner (`nodepool`, …); an owner's keys are off limits to others. Optional
   * only because read-model rows folded before annotations existed lack it: read it with
   * `annotationLayers()`.
   */
  systemAnnotations?: Record<string, Record<string, string>>;
  cordons: Partial<Record<CordonHolder, { reason: string; since: string }>>;
  drain: { requestId: string; requestedAt: string } | null;
  credential: { serial: string; fingerprint: string; notAfter: string } | null;
}

export type NodeState =
  | { status: 'absent' }
  | PresentNode
  | { status: 'removed'; clusterId: string; nodeName: string; removedAt: string };

export const initialNodeState: NodeState = { status: 'absent' };

export function requirePresent(state: NodeState, c: { clusterId: string; nodeName: string }): PresentNode {
  if (state.status !== 'present') throw new NotFoundError('node', `${c.clusterId}/${c.nodeName}`);
  return state;
}

/** Annotations by system owner (empty for nodes folded before annotation layers existed). */
export function annotationLayers(node: PresentNode): Record<string, Record<string, string>> {
  return node.systemAnnotations ?? {};
}

// ───────────────────────────── evolve ─────────────────────────────

export function evolveNode(state: NodeState, event: NodeEvent): NodeState {
  if (event.type === 'NodeJoined') {
    const d = event.data;
    return {
      status: 'present',
      clusterId: d.clusterId,
      nodeName: d.nodeName,
      source: d.source,
      tokenId: d.tokenId,
      inventory: d.inventory,
      joinedAt: d.joinedAt,
      labels: {},
      systemLabels: { [CLUSTER_LABEL_OWNER]: d.systemLabels },
      taints: [],
      systemTaints: {},
      systemAnnotations: {},
      cordons: {},
      drain: null,
      credential: null,
    };
  }
  if (state.status !== 'present') return state;
  switch (event.type) {
    case 'NodeCredentialIssued':
      return {
        ...state,
        credential: {
          serial: event.data.serial,
          fingerprint: event.data.fingerprint,
          notAfter: event.data.notAfter,
        },
      };
    case 'NodeLabelsChanged': {
      const labels = { ...state.labels, ...event.data.set };
      for (const key of event.data.removed) delete labels[key];
      return { ...state, labels };
    }
    case 'NodeSystemLabelsChanged': {
      const mine = { ...(state.systemLabels[event.data.owner] ?? {}), ...event.data.set };
      for (const key of event.data.removed) delete mine[key];
      const systemLabels = { ...state.systemLabels, [event.data.owner]: mine };
      if (Object.keys(mine).length === 0) delete systemLabels[event.data.owner];
      return { ...state, systemLabels };
    }
    case 'NodeTaintsChanged':
      return { ...state, taints: event.data.taints };
    case 'NodeSystemTaintsChanged': {
      const systemTaints = { ...state.systemTaints, [event.data.owner]: event.data.taints };
      if (event.data.taints.length === 0) delete systemTaints[event.data.owner];
      return { ...state, systemTaints };
    }
    case 'NodeSystemAnnotationsChanged': {
      const layers = annotationLayers(state);
      const mine = { ...(layers[event.data.owner] ?? {}), ...event.data.set };
      for (const key of event.data.removed) delete mine[key];
      const systemAnnotations = { ...layers, [event.data.owner]: mine };
      if (Object.keys(mine).length === 0) delete systemAnnotations[event.data.owner];
      return { ...state, systemAnnotations };
    }
    case 'NodeCordoned':
      return {
        ...state,
        cordons: {
          ...state.cordons,
          [event.data.holder]: { reason: event.data.reason, since: event.data.cordonedAt },
        },
      };
    case 'NodeUncordoned': {
      const cordons = { ...state.cordons };
      delete cordons[event.data.holder];
      // An operator uncordon ends the pending drain with it, as kubectl uncordon does.
      return { ...state, cordons, drain: event.data.holder === 'operator' ? null : state.drain };
    }
    case 'NodeDrainRequested':
      return { ...state, drain: { requestId: event.data.requestId, requestedAt: event.data.requestedAt } };
    case 'NodeGpuDevicePluginChanged':
      return state;
    case 'NodeRemoved':
      return {
        status: 'removed',
        clusterId: event.data.clusterId,
        nodeName: event.data.nodeName,
        removedAt: event.data.removedAt,
      };
    default:
      return state;
  }
}
