import { ValidationError } from '@edgeplane/es-kit';
import { preview, type Taint } from '@edgeplane/k8s';
import { stringify } from 'yaml';
import type { ActiveCluster } from '../cluster/cluster.state.js';
import { annotationLayers, KUBERNETES_ARCH, type NodeState, type PresentNode } from './node.state.js';
import type { TimelineEntry } from './node.timeline.js';

/** What read paths show of a node (pure, over its state): effective layers, schedulability, YAML. */

/** The well-known GPU label (F-NO-7): the addons service places nvidia-device-plugin where it is set. */
const GPU_LABEL_KEY = 'nvidia-device-enable';
const GPU_LABEL_VALUE = 'enable';
/** Annotation the node's Kubernetes view always carries; it is the cluster service's, no owner may set it. */
export const CLUSTER_ID_ANNOTATION = 'edgeplane.io/cluster-id';

/** A node condition as the health-arbiter decided it (today: Ready). */
export interface NodeCondition {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastTransitionAt: string;
}

/** A node with its cluster and conditions: what ListNodes and the node commands answer with. */
export interface NodeView {
  cluster: ActiveCluster;
  node: PresentNode;
  conditions: NodeCondition[];
}

/** GetNode: the node view plus the timeline of this incarnation of the node. */
export interface NodeDetailView extends NodeView {
  timeline: TimelineEntry[];
}

/** Operator labels merged with every system owner's labels (system owners win on a shared key). */
export function effectiveLabels(node: PresentNode): Record<string, string> {
  const merged = { ...node.labels };
  for (const owned of Object.values(node.systemLabels)) Object.assign(merged, owned);
  return merged;
}

/** Every system owner's annotations merged (each key has one owner, so the order does not matter). */
export function effectiveAnnotations(node: PresentNode): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const owned of Object.values(annotationLayers(node))) Object.assign(merged, owned);
  return merged;
}

/** Size of annotations the way Kubernetes counts it: bytes of every key and value. */
export function annotationsSize(annotations: Record<string, string>): number {
  const encoder = new TextEncoder();
  let size = 0;
  for (const [key, value] of Object.entries(annotations))
    size += encoder.encode(key).length + encoder.encode(value).length;
  return size;
}

/**
 * Operator and system taints, plus `node.kubernetes.io/unschedulable:NoSchedule` while any holder
 * keeps the node cordoned — the same way Kubernetes shows `spec.unschedulable`.
 */
export function effectiveTaints(node: PresentNode): Taint[] {
  const all = [...node.taints, ...Object.values(node.systemTaints).flat()];
  if (!isSchedulable(node))
    all.push({ key: 'node.kubernetes.io/unschedulable', value: '', effect: 'NoSchedule' });
  return dedupeTaints(all);
}

export function isSchedulable(node: PresentNode): boolean {
  return Object.keys(node.cordons).length === 0;
}

/** True when the presented node certificate (by fingerprint) is this present node's active credential. */
export function verifyNodeCredential(
  state: NodeState,
  fingerprint: string,
): state is PresentNode & { credential: NonNullable<PresentNode['credential']> } {
  return (
    state.status === 'present' &&
    state.credential !== null &&
    state.credential.fingerprint === fingerprint.toLowerCase()
  );
}

export function hasGpuPluginLabel(labels: Record<string, string>): boolean {
  return labels[GPU_LABEL_KEY] === GPU_LABEL_VALUE;
}

export function dedupeTaints(taints: Taint[]): Taint[] {
  const seen = new Map<string, Taint>();
  for (const t of taints) seen.set(`${t.key}:${t.effect}`, t);
  return [...seen.values()];
}

/** The node as a Kubernetes `v1/Node` object (what `kubectl get node -o yaml` would show). */
export function nodeYaml(node: PresentNode, conditions: NodeCondition[]): string {
  const unschedulable = !isSchedulable(node);
  return stringify({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.nodeName,
      labels: effectiveLabels(node),
      annotations: { ...effectiveAnnotations(node), [CLUSTER_ID_ANNOTATION]: node.clusterId },
      creationTimestamp: node.joinedAt,
    },
    spec: {
      ...(unschedulable ? { unschedulable: true } : {}),
      ...(effectiveTaints(node).length > 0
        ? {
            taints: effectiveTaints(node).map((t) => ({
              key: t.key,
              ...(t.value ? { value: t.value } : {}),
              effect: t.effect,
            })),
          }
        : {}),
    },
    status: {
      conditions: conditions.map((c) => ({
        type: c.type,
        status: c.status,
        reason: c.reason,
        message: c.message,
        lastTransitionTime: c.lastTransitionAt,
      })),
      addresses: node.inventory.ips
        .map((ip) => ({ type: 'InternalIP', address: ip }))
        .concat([{ type: 'Hostname', address: node.nodeName }]),
      nodeInfo: {
        architecture: KUBERNETES_ARCH[node.inventory.arch],
        operatingSystem: 'linux',
        osImage: node.inventory.os,
      },
    },
  });
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
        return (l: Record<string, string>) => (Object.hasOwn(l, k) ? l[k] : undefined) !== v;
      }
      const eq = term.indexOf('=');
      if (eq > 0) {
        const k = term.slice(0, eq).trim();
        const v = term.slice(term[eq + 1] === '=' ? eq + 2 : eq + 1).trim();
        return (l: Record<string, string>) => Object.hasOwn(l, k) && l[k] === v;
      }
      if (term.startsWith('!')) {
        const k = term.slice(1).trim();
        return (l: Record<string, string>) => !Object.hasOwn(l, k);
      }
      if (/[\s()]/.test(term))
        throw ValidationError.field('labelSelector', `unsupported selector term ${preview(term)}`);
      return (l: Record<string, string>) => Object.hasOwn(l, term);
    });
  return (labels) => terms.every((t) => t(labels));
}
