import type { EdgeplaneClusterV1 } from '@edgeplane/proto';
import { stringify } from 'yaml';
import type { ActiveCluster } from '../cluster/cluster.decider.js';
import type { TokenView } from '../join-token/join-token.handler.js';
import {
  CLUSTER_ID_ANNOTATION,
  annotationLayers,
  effectiveAnnotations,
  effectiveLabels,
  effectiveTaints,
  hasGpuPluginLabel,
  isSchedulable,
  type PresentNode,
} from '../node/node.decider.js';
import type { NodeDetailView, NodeView } from '../node/node.handler.js';
import { defaultReferenceData, findTier } from '../reference-data/reference-data.js';
import type { ConditionRow } from './read-model.js';

/** Domain state → proto messages (field names as proto-loader hands them over: camelCase). */

export function clusterMessage(c: ActiveCluster): EdgeplaneClusterV1.Cluster {
  const tier = findTier(defaultReferenceData, c.tier);
  return {
    id: c.spec.clusterId,
    name: c.spec.name,
    description: c.spec.description,
    kubernetesVersion: c.spec.kubernetesVersion,
    runtime: c.spec.runtime,
    region: c.spec.region,
    kubeProxyMode: c.spec.kubeProxyMode,
    vpcId: c.spec.vpcId ?? '',
    vpcCidr: c.spec.vpcCidr,
    podCidr: c.spec.podCidr,
    serviceCidr: c.spec.serviceCidr,
    nodeCidrs: c.spec.nodeCidrs,
    tier: {
      name: c.tier,
      nodes: tier?.nodes ?? 0,
      pods: tier?.pods ?? 0,
      configMaps: tier?.configMaps ?? 0,
      crds: tier?.crds ?? 0,
    },
    autoUpgrade: c.autoUpgrade,
    usage: { nodes: c.nodes.length, pods: c.usage.pods, configMaps: c.usage.configMaps, crds: c.usage.crds },
    access: {
      publicAccess: c.access.publicAccess,
      privateAccess: c.access.privateAccess.enabled,
      privateSubnetId: c.access.privateAccess.subnetId ?? '',
    },
    remoteLogin: c.remoteLogin,
    status: 'active',
    caFingerprint: c.spec.ca.fingerprint,
    createdAt: c.spec.createdAt,
    overCapacityNodes: c.overCapacityNodes.length,
  };
}

export function tokenMessage(t: TokenView): EdgeplaneClusterV1.JoinToken {
  return {
    id: t.tokenId,
    clusterId: t.clusterId,
    clusterName: t.clusterName,
    status: t.effectiveStatus,
    createdAt: t.createdAt,
    expiresAt: t.expiresAt,
    revokedAt: t.revokedAt ?? '',
    containerDir: t.containerDir,
    hasPreInstallScript: t.hasPreInstallScript,
    hasPostInstallScript: t.hasPostInstallScript,
    redeemedBy: t.redeemedBy,
    ttlSeconds: t.ttlSeconds,
  };
}

function readyOf(conditions: ConditionRow[]): string {
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
    cordons: Object.entries(node.cordons).map(([holder, c]) => ({
      holder,
      reason: c!.reason,
      since: c!.since,
    })),
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

/** The node as a Kubernetes `v1/Node` object (what `kubectl get node -o yaml` would show). */
export function nodeYaml(
  node: PresentNode,
  conditions: { type: string; status: string; reason: string; message: string; lastTransitionAt: string }[],
): string {
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
        architecture: { x86_64: 'amd64', arm64: 'arm64', arm: 'arm' }[node.inventory.arch],
        operatingSystem: 'linux',
        osImage: node.inventory.os,
      },
    },
  });
}
