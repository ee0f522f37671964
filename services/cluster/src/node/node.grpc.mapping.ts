import type { EdgeplaneClusterV1 } from '@edgeplane/proto';
import { annotationLayers } from './node.state.js';
import {
  effectiveAnnotations,
  effectiveLabels,
  effectiveTaints,
  hasGpuPluginLabel,
  isSchedulable,
  nodeYaml,
  type NodeCondition,
  type NodeDetailView,
  type NodeView,
} from './node.views.js';

/** Node views → edgeplane.cluster.v1 messages (field names as proto-loader hands them over: camelCase). */

function readyOf(conditions: NodeCondition[]): string {
  return conditions.find((c) => c.type === 'Ready')?.status ?? 'Unknown';
}

export function nodeMessage({ cluster, node, conditions }: NodeView): EdgeplaneClusterV1.Node {
  return {
    clusterId: node.clusterId,
    clusterName: cluster.spec.name,
    name: node.nodeName,
    source: node.source.kind,
    provider: node.source.kind === 'provider' ? node.source.provider : '',
    machineId: node.source.kind === 'provider' ? node.source.machineId : '',
    tokenId: node.tokenId ?? '',
    inventory: { ...node.inventory, gpuModel: node.inventory.gpuModel ?? '' },
    labels: effectiveLabels(node),
    operatorLabels: node.labels,
    systemLabels: Object.entries(node.systemLabels)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([owner, labels]) => ({ owner, labels })),
    annotations: effectiveAnnotations(node),
    systemAnnotations: Object.entries(annotationLayers(node))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([owner, labels]) => ({ owner, labels })),
    taints: effectiveTaints(node),
    operatorTaints: node.taints,
    systemTaints: Object.entries(node.systemTaints)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([owner, taints]) => ({ owner, taints })),
    schedulable: isSchedulable(node),
    cordons: Object.entries(node.cordons).flatMap(([holder, c]) =>
      c ? [{ holder, reason: c.reason, since: c.since }] : [],
    ),
    draining: node.drain !== null,
    joinedAt: node.joinedAt,
    credentialSerial: node.credential?.serial ?? '',
    credentialNotAfter: node.credential?.notAfter ?? '',
    gpuDevicePlugin: hasGpuPluginLabel(effectiveLabels(node)),
    ready: readyOf(conditions),
  };
}

export function nodeDetailMessage(view: NodeDetailView): EdgeplaneClusterV1.NodeDetail {
  const conditions = view.conditions.map((c) => ({
    type: c.type,
    status: c.status,
    reason: c.reason,
    message: c.message,
    lastTransitionAt: c.lastTransitionAt,
  }));
  if (!conditions.some((c) => c.type === 'Ready')) {
    conditions.push({
      type: 'Ready',
      status: 'Unknown',
      reason: 'NoVerdictYet',
      message: 'the health-arbiter has not judged this node yet',
      lastTransitionAt: view.node.joinedAt,
    });
  }
  return {
    node: nodeMessage(view),
    conditions,
    events: view.timeline.map((e) => ({ at: e.at, type: e.type, message: e.message })),
    yaml: nodeYaml(view.node, conditions),
  };
}
