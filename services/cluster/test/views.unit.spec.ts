import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { clusterMessage } from '../src/cluster/cluster.grpc.mapping.js';
import { nodeDetailMessage, nodeMessage } from '../src/node/node.grpc.mapping.js';
import { parseLabelSelector } from '../src/node/node.views.js';
import { fold } from '@edgeplane/es-kit';
import {
  clusterDecider,
  evolveCluster,
  nodeDecider,
  type ActiveCluster,
  type NodeEvent,
  type PresentNode,
} from '../src/index.js';

const cluster = fold(
  clusterDecider,
  clusterDecider.decide(createFixture(), clusterDecider.initialState),
) as ActiveCluster;

function createFixture() {
  return {
    type: 'CreateCluster' as const,
    clusterId: 'cls-1',
    name: 'gz',
    kubernetesVersion: '1.22.5',
    runtime: 'containerd',
    region: 'ap-guangzhou',
    vpcCidr: '10.0.0.0/16',
    podCidr: '172.16.0.0/16',
    serviceCidr: '172.17.0.0/20',
    otherClustersInVpc: [],
    ca: {
      certPem: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n',
      fingerprint: 'c'.repeat(64),
      notAfter: '2035-01-01T00:00:00.000Z',
    },
    adminCredential: {
      serial: '01',
      fingerprint: 'a'.repeat(64),
      notBefore: '2025-01-01T00:00:00.000Z',
      notAfter: '2026-01-01T00:00:00.000Z',
    },
    now: '2025-01-01T00:00:00.000Z',
  };
}

const NOW = '2025-01-01T00:00:00.000Z';
const joined: NodeEvent[] = nodeDecider.decide(
  {
    type: 'JoinNode',
    clusterId: 'cls-1',
    nodeName: 'edge-1',
    source: { kind: 'script' },
    tokenId: 't1',
    inventory: { arch: 'arm64', os: 'Ubuntu', interface: 'eth0', ips: ['10.0.0.5'], gpuModel: null },
    admission: { overCapacity: true, tier: 'L5', nodeCap: 5 },
    now: NOW,
  },
  nodeDecider.initialState,
);
const nodepool: NodeEvent = {
  type: 'NodeSystemLabelsChanged',
  data: {
    clusterId: 'cls-1',
    nodeName: 'edge-1',
    owner: 'nodepool',
    set: { location: 'beijing' },
    removed: [],
    changedAt: NOW,
  },
};
const operator: NodeEvent = {
  type: 'NodeLabelsChanged',
  data: { clusterId: 'cls-1', nodeName: 'edge-1', set: { env: 'prod' }, removed: [], changedAt: NOW },
};
const node = fold(nodeDecider, [...joined, nodepool, operator]) as PresentNode;

describe('proto views of the read models', () => {
  it('a cluster carries its tier caps and usage', () => {
    const m = clusterMessage(
      evolveCluster(cluster, {
        type: 'ClusterAccessChanged',
        data: {
          clusterId: 'cls-1',
          publicAccess: true,
          privateAccess: { enabled: false, subnetId: null },
          changedAt: NOW,
        },
      }) as ActiveCluster,
    );
    expect(m).toMatchObject({
      id: 'cls-1',
      tier: { name: 'L5', nodes: 5, pods: 150 },
      usage: { nodes: 0 },
      access: { publicAccess: true, privateAccess: false },
    });
  });

  it('a node shows effective labels, each system layer with its owner, and the capacity cordon', () => {
    const m = nodeMessage({ cluster, node, conditions: [] });
    expect(m.labels).toMatchObject({ env: 'prod', location: 'beijing', 'kubernetes.io/arch': 'arm64' });
    expect(m.operatorLabels).toEqual({ env: 'prod' });
    expect(m.systemLabels!.map((l) => l.owner)).toEqual(['cluster', 'nodepool']);
    expect(m.schedulable).toBe(false);
    expect(m.cordons).toEqual([expect.objectContaining({ holder: 'tier-capacity' })]);
    expect(m.ready).toBe('Unknown');
  });

  it('the detail has a Ready condition even before a verdict, and a Kubernetes Node as YAML', () => {
    const d = nodeDetailMessage({ cluster, node, conditions: [], timeline: [] });
    expect(d.conditions).toEqual([expect.objectContaining({ type: 'Ready', status: 'Unknown' })]);
    const k8s = parseYaml(d.yaml!);
    expect(k8s).toMatchObject({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'edge-1' },
      spec: { unschedulable: true },
    });
    expect(k8s.status.nodeInfo.architecture).toBe('arm64');
  });

  it('annotations: effective map, each layer with its owner, and metadata.annotations in the YAML', () => {
    const annotated = fold(nodeDecider, [
      ...joined,
      nodepool,
      operator,
      {
        type: 'NodeSystemAnnotationsChanged',
        data: {
          clusterId: 'cls-1',
          nodeName: 'edge-1',
          owner: 'nodepool',
          set: { 'superedge.io/site': 'beijing-dc1' },
          removed: [],
          changedAt: NOW,
        },
      },
    ]) as PresentNode;
    const m = nodeMessage({ cluster, node: annotated, conditions: [] });
    expect(m.annotations).toEqual({ 'superedge.io/site': 'beijing-dc1' });
    expect(m.systemAnnotations).toEqual([
      { owner: 'nodepool', labels: { 'superedge.io/site': 'beijing-dc1' } },
    ]);
    const k8s = parseYaml(
      nodeDetailMessage({ cluster, node: annotated, conditions: [], timeline: [] }).yaml!,
    );
    expect(k8s.metadata.annotations).toEqual({
      'superedge.io/site': 'beijing-dc1',
      'edgeplane.io/cluster-id': 'cls-1',
    });
  });

  it('a read-model row folded before annotation layers existed still renders (no annotations)', () => {
    const { systemAnnotations: _dropped, ...legacy } = node;
    const m = nodeMessage({ cluster, node: legacy as PresentNode, conditions: [] });
    expect(m.annotations).toEqual({});
    expect(m.systemAnnotations).toEqual([]);
    const k8s = parseYaml(
      nodeDetailMessage({ cluster, node: legacy as PresentNode, conditions: [], timeline: [] }).yaml!,
    );
    expect(k8s.metadata.annotations).toEqual({ 'edgeplane.io/cluster-id': 'cls-1' });
  });
});

describe('label selector', () => {
  const labels = { env: 'prod', gpu: 'true', zone: 'a' };
  it.each([
    ['env=prod', true],
    ['env==prod', true],
    ['env!=prod', false],
    ['gpu', true],
    ['!gpu', false],
    ['env=prod,zone=b', false],
    ['', true],
  ])('%s → %s', (selector, expected) => {
    expect(parseLabelSelector(selector)(labels)).toBe(expected);
  });
});
