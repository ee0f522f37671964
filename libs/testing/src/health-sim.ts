import {
  NodeEvictionRequested,
  NodeVerdictChanged,
  STREAMS,
  busSubject,
  catalogue,
  isEvent,
  signalPartition,
  signalSubject,
  streamName,
  validateEventData,
  type ClusterCreatedData,
  type Envelope,
  type HeartbeatData,
  type NodeJoinedData,
  type NodeEvictionRequestedData,
  type NodeMembershipChangedData,
  type NodeVerdictChangedData,
  type ProbeReportData,
} from '@edgeplane/contracts';
import type { Bus } from '@edgeplane/messaging';
import { DeliverPolicy } from '@nats-io/jetstream';
import { v7 } from 'uuid';
import { durableSuffixOf, uniqueName } from './services.js';

/**
 * The health-arbiter's world, simulated: catalogue events published to JetStream exactly as a
 * service's outbox relay would (same envelope, subject from the catalogue, Msg-Id = event id),
 * and heartbeats / probe reports as the tunnel gateway will — the arbiter's inputs without
 * running the cluster, nodepool or tunnel services. Shared by the arbiter's integration tests
 * and its benchmark (bench/health-arbiter.bench.ts); it needs only the contracts and a bus.
 */
let position = 1;

function envelopeOf(type: string, streamId: string, data: unknown, streamPosition = 1): Envelope {
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

/** `streamPosition`: the event's position in its stream (consumers that order by it need it set). */
export async function publishEvent(
  bus: Bus,
  type: string,
  streamId: string,
  data: unknown,
  streamPosition = 1,
): Promise<void> {
  const envelope = envelopeOf(type, streamId, data, streamPosition);
  await bus.js.publish(busSubject(catalogue.get(type).subject), encoder.encode(JSON.stringify(envelope)), {
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

function heartbeatBody(clusterId: string, node: string): Uint8Array {
  const data: HeartbeatData = { v: 1, clusterId, node };
  return encoder.encode(JSON.stringify(data));
}

function probeReportBody(clusterId: string, reporter: string, views: Record<string, boolean>): Uint8Array {
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
function clusterIdIn(lo: number, hi: number): string {
  for (;;) {
    const id = uniqueName('cid').replace(/_/g, '-');
    const p = signalPartition(id);
    if (p >= lo && p <= hi) return id;
  }
}

/** Three nodes `<prefix>-1…3` in a fresh cluster whose partition lies in [lo, hi]; `<prefix>-3` is the one cut. */
export function simCluster(prefix: string, lo: number, hi: number): SimCluster {
  const nodes = [1, 2, 3].map((i) => `${prefix}-${i}`);
  return {
    id: clusterIdIn(lo, hi),
    name: uniqueName(prefix).replace(/_/g, '-'),
    nodes,
    cut: nodes[2]!,
    heard: new Set(nodes),
  };
}

/**
 * One signal round of a simulated cluster: every node the cloud hears heartbeats and reports all
 * its peers healthy (the cut one too: its peers still reach it, so they vouch for it).
 */
export function publishSignalRound(bus: Bus, c: SimCluster): void {
  for (const node of c.heard) publishHeartbeat(bus, c.id, node);
  for (const reporter of c.heard) {
    publishProbeReport(
      bus,
      c.id,
      reporter,
      Object.fromEntries(c.nodes.filter((p) => p !== reporter).map((p) => [p, true])),
    );
  }
}

/**
 * Deletes the durable consumers of side-by-side arbiter instances (suffixed with their schemas):
 * nobody else needs them once the test or benchmark is over.
 */
export async function deleteInstanceDurables(bus: Bus, schemas: readonly string[]): Promise<void> {
  const suffixes = schemas.map((schema) => durableSuffixOf(schema));
  for (const declared of [STREAMS.CLUSTER.name, STREAMS.NODEPOOL.name, STREAMS.HEALTH.name]) {
    const stream = streamName(declared);
    for await (const c of bus.jsm.consumers.list(stream)) {
      if (suffixes.some((s) => c.name.endsWith(s)))
        await bus.jsm.consumers.delete(stream, c.name).catch(() => undefined);
    }
  }
}

/** What the arbiter published about some clusters from the moment the watch started, in order. */
export interface VerdictWatch {
  readonly verdicts: Envelope<NodeVerdictChangedData>[];
  readonly evictions: Envelope<NodeEvictionRequestedData>[];
  close(): Promise<void>;
}

/** Watches the HEALTH stream for the NodeVerdictChanged / NodeEvictionRequested of these clusters. */
export async function watchVerdicts(bus: Bus, clusterIds: readonly string[]): Promise<VerdictWatch> {
  const verdicts: Envelope<NodeVerdictChangedData>[] = [];
  const evictions: Envelope<NodeEvictionRequestedData>[] = [];
  const consumer = await bus.js.consumers.get(streamName(STREAMS.HEALTH.name), {
    filter_subjects: busSubject('edgeplane.health.node.>'),
    deliver_policy: DeliverPolicy.New,
  });
  const messages = await consumer.consume({
    callback: (msg) => {
      const envelope = msg.json<Envelope>();
      if (isEvent(envelope, NodeVerdictChanged) && clusterIds.includes(envelope.data.clusterId))
        verdicts.push(envelope);
      else if (isEvent(envelope, NodeEvictionRequested) && clusterIds.includes(envelope.data.clusterId))
        evictions.push(envelope);
    },
  });
  return {
    verdicts,
    evictions,
    async close() {
      await messages.close();
    },
  };
}
