import {
  catalogue,
  signalPartition,
  signalSubject,
  validateEventData,
  type ClusterCreatedData,
  type Envelope,
  type HeartbeatData,
  type NodeJoinedData,
  type NodeMembershipChangedData,
  type ProbeReportData,
} from '@edgeplane/contracts';
import type { Bus } from '@edgeplane/messaging';
import { uniqueName } from '@edgeplane/testing';
import { v7 } from 'uuid';

/**
 * Publishes catalogue events to JetStream exactly as a service's outbox relay would (same
 * envelope, subject from the catalogue, Msg-Id = event id), and signals as the tunnel gateway
 * will: the arbiter's inputs without running the cluster, nodepool or tunnel services.
 * Shared by the integration test and the benchmark.
 */
let position = 1;

export function envelopeOf(type: string, streamId: string, data: unknown, streamPosition = 1): Envelope {
  return {
    id: v7(),
    type,
    version: 1,
    streamId,
    streamPosition,
    globalPosition: position++,
    occurredAt: new Date().toISOString(),
    data: validateEventData(type, 1, data),
    metadata: { actor: 'test' },
  };
}

const encoder = new TextEncoder();

export async function publishEvent(bus: Bus, type: string, streamId: string, data: unknown): Promise<void> {
  const envelope = envelopeOf(type, streamId, data);
  await bus.js.publish(catalogue.get(type).subject, encoder.encode(JSON.stringify(envelope)), {
    msgID: envelope.id,
  });
}

/** Many events, pipelined (up to `window` unacknowledged publishes). */
export async function publishEvents(
  bus: Bus,
  events: { type: string; streamId: string; data: unknown }[],
  window = 500,
): Promise<void> {
  for (let i = 0; i < events.length; i += window) {
    await Promise.all(events.slice(i, i + window).map((e) => publishEvent(bus, e.type, e.streamId, e.data)));
  }
}

export function clusterCreated(clusterId: string, name: string, at = new Date()): ClusterCreatedData {
  return {
    clusterId,
    name,
    description: '',
    kubernetesVersion: '1.22.5',
    runtime: 'containerd',
    region: 'ap-guangzhou',
    kubeProxyMode: 'iptables',
    vpcId: null,
    vpcCidr: '10.0.0.0/16',
    podCidr: '172.16.0.0/16',
    serviceCidr: '172.17.0.0/20',
    nodeCidrs: [],
    tier: 'L20',
    autoUpgrade: false,
    access: { publicAccess: true, privateAccess: { enabled: false, subnetId: null } },
    remoteLogin: false,
    ca: {
      certPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
      fingerprint: 'a'.repeat(64),
      notAfter: new Date(at.getTime() + 10 * 365 * 86_400_000).toISOString(),
    },
    createdAt: at.toISOString(),
  };
}

export function nodeJoined(clusterId: string, nodeName: string, at = new Date()): NodeJoinedData {
  return {
    clusterId,
    nodeName,
    source: { kind: 'script' },
    tokenId: null,
    inventory: { arch: 'x86_64', os: 'linux', interface: 'eth0', ips: ['10.0.0.1'], gpuModel: null },
    systemLabels: { 'kubernetes.io/hostname': nodeName },
    joinedAt: at.toISOString(),
  };
}

export function membershipChanged(
  clusterId: string,
  node: string,
  units: string[],
  at = new Date(),
): NodeMembershipChangedData {
  const labels = Object.fromEntries(units.map((u) => [u, 'nodeunits.superedge.io']));
  return {
    clusterId,
    node,
    units,
    groups: {},
    labels,
    annotations: {},
    taints: [],
    labelsSet: labels,
    labelsRemoved: [],
    annotationsSet: {},
    annotationsRemoved: [],
    taintsAdded: [],
    taintsRemoved: [],
    at: at.toISOString(),
  };
}

export function heartbeatBody(clusterId: string, node: string): Uint8Array {
  const data: HeartbeatData = { v: 1, clusterId, node };
  return encoder.encode(JSON.stringify(data));
}

export function probeReportBody(
  clusterId: string,
  reporter: string,
  views: Record<string, boolean>,
): Uint8Array {
  const data: ProbeReportData = {
    v: 1,
    clusterId,
    reporter,
    results: Object.entries(views).map(([peer, healthy]) => ({ peer, healthy })),
  };
  return encoder.encode(JSON.stringify(data));
}

/** Signals go to the stream through a plain publish (no PubAck wait), like the gateway's hot path. */
export function publishHeartbeat(bus: Bus, clusterId: string, node: string): void {
  bus.nc.publish(signalSubject('heartbeat', clusterId), heartbeatBody(clusterId, node));
}

export function publishProbeReport(
  bus: Bus,
  clusterId: string,
  reporter: string,
  views: Record<string, boolean>,
): void {
  bus.nc.publish(signalSubject('probe', clusterId), probeReportBody(clusterId, reporter, views));
}

/** A simulated cluster of the partition tests: its nodes, the one whose cloud link is cut, and who the cloud hears. */
export interface SimCluster {
  id: string;
  name: string;
  nodes: string[];
  /** the node whose cloud link is cut in the second step */
  cut: string;
  /** nodes the cloud hears (heartbeats and their probe reports travel the same link) */
  heard: Set<string>;
}

/** A fresh cluster id whose signal partition lies in [lo, hi]. */
export function clusterIdIn(lo: number, hi: number): string {
  for (;;) {
    const id = uniqueName('cid').replace(/_/g, '-');
    const p = signalPartition(id);
    if (p >= lo && p <= hi) return id;
  }
}
