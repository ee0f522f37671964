import * as grpc from '@grpc/grpc-js';
import { DeliverPolicy } from '@nats-io/jetstream';
import { v7 as uuidv7 } from 'uuid';
import {
  decodeEnvelope,
  busSubject,
  catalogue,
  durableName,
  schemaName,
  streamName,
  STREAMS,
  validateEventData,
  type Envelope,
} from '@edgeplane/contracts';
import { loadPackage, protoFilesOf } from '@edgeplane/proto';
import { createDatabase } from '@edgeplane/eventstore';
import { bootstrapService, type RunningService } from '@edgeplane/service-kit';
import { sql } from 'kysely';
import {
  eventually,
  freePort,
  testBus,
  testGrpcCredentials,
  testServices,
  uniqueName,
} from '@edgeplane/testing';
import type { Bus } from '@edgeplane/messaging';
import { nodepoolService } from '../../src/service.js';

type Unary = (req: unknown, md: grpc.Metadata, cb: (err: grpc.ServiceError | null, res: any) => void) => void;

/**
 * One nodepool instance booted in-process on its own schema (durables suffixed, starting at the
 * stream's end), a bus to publish cluster/health catalogue events as the other services would,
 * gRPC clients for every nodepool service, and a tap on the NODEPOOL stream.
 */
export class NodepoolHarness {
  svc!: RunningService;
  bus!: Bus;
  /** the schema's name before EDGEPLANE_ENV (it suffixes the durables) and the schema itself */
  readonly logicalSchema = uniqueName('t_nodepool').toLowerCase();
  readonly schema = schemaName(this.logicalSchema);
  /** every envelope the relay published on EDGEPLANE_NODEPOOL since start */
  readonly published: Envelope[] = [];
  private clients: Record<string, grpc.Client & Record<string, Unary>> = {};
  private tapStop?: () => Promise<void>;
  private lastClusterSeq = 0;

  async start(): Promise<void> {
    const { databaseUrl, natsUrl } = await testServices();
    this.bus = await testBus();
    // One subject filter only (NATS 2.9): the stream's own subject space.
    const tap = await this.bus.js.consumers.get(streamName(STREAMS.NODEPOOL.name), {
      deliver_policy: DeliverPolicy.New,
    });
    const messages = await tap.consume();
    void (async () => {
      for await (const m of messages) {
        try {
          this.published.push(decodeEnvelope(m.data));
        } catch {
          /* not ours to judge */
        }
      }
    })();
    this.tapStop = async () => {
      await messages.close();
    };
    const grpcPort = await freePort();
    this.svc = await bootstrapService(
      { ...nodepoolService, schema: this.schema },
      {
        DATABASE_URL: databaseUrl,
        NATS_URL: natsUrl,
        GRPC_PORT: String(grpcPort),
        METRICS_PORT: String(await freePort()),
        GRPC_HOST: '127.0.0.1',
        LOG_LEVEL: 'error',
        CONSUMER_START: 'new',
      },
    );
    const { grpcObject } = loadPackage(protoFilesOf('nodepool'));
    const pkg = (grpcObject as any).edgeplane.nodepool.v1;
    for (const name of [
      'NodeUnitService',
      'NodeGroupService',
      'KinsService',
      'ApplyService',
      'NodeMembershipService',
    ]) {
      this.clients[name] = new pkg[name](`127.0.0.1:${grpcPort}`, testGrpcCredentials());
    }
  }

  async stop(): Promise<void> {
    for (const c of Object.values(this.clients)) c.close();
    await this.tapStop?.().catch(() => undefined);
    await this.svc?.stop();
    // This instance's durables are its own (suffixed by schema): remove them with the schema.
    const suffix = `-${this.logicalSchema.replace(/_/g, '-')}`;
    for (const [stream, durable] of [
      [STREAMS.CLUSTER.name, 'nodepool__cluster-events'],
      [STREAMS.HEALTH.name, 'nodepool__health-events'],
    ] as const) {
      await this.bus?.jsm.consumers
        .delete(streamName(stream), durableName(durable + suffix))
        .catch(() => undefined);
    }
    await this.bus?.close();
    const db = createDatabase({ url: (await testServices()).databaseUrl, max: 1 });
    await sql`DROP SCHEMA IF EXISTS ${sql.id(this.schema)} CASCADE`.execute(db).catch(() => undefined);
    await db.destroy();
  }

  call<T = any>(service: string, method: string, request: unknown): Promise<T> {
    const c = this.clients[service]!;
    return new Promise((resolve, reject) =>
      c[method]!.call(c, request, new grpc.Metadata(), (err, res) => (err ? reject(err) : resolve(res))),
    );
  }

  /** Publishes a catalogue event exactly as a relay would (validated envelope, Msg-Id = event id). */
  async publishEvent(
    type: string,
    streamId: string,
    data: unknown,
    opts: { id?: string; msgId?: string } = {},
  ): Promise<Envelope> {
    validateEventData(type, 1, data);
    const envelope: Envelope = {
      id: opts.id ?? uuidv7(),
      type,
      version: 1,
      streamId,
      streamPosition: 1,
      globalPosition: 1,
      occurredAt: new Date().toISOString(),
      data,
      metadata: {},
    };
    await this.republish(envelope, opts.msgId);
    return envelope;
  }

  /** Sends an envelope again (a redelivery, bypassing the stream's dedupe with a fresh Msg-Id). */
  async republish(envelope: Envelope, msgId = envelope.id): Promise<void> {
    const def = catalogue.get(envelope.type, envelope.version);
    const body = new TextEncoder().encode(JSON.stringify(envelope));
    const ack = await this.bus.js.publish(busSubject(def.subject), body, { msgID: msgId });
    if (def.subject.startsWith('edgeplane.cluster.'))
      this.lastClusterSeq = Math.max(this.lastClusterSeq, ack.seq);
  }

  /** Waits until nodepool's cluster-events consumer has acknowledged everything published so far. */
  async clusterEventsSettled(): Promise<void> {
    const durable = durableName(`nodepool__cluster-events-${this.logicalSchema.replace(/_/g, '-')}`);
    const target = this.lastClusterSeq;
    await eventually(async () => {
      const info = await this.bus.jsm.consumers.info(streamName(STREAMS.CLUSTER.name), durable);
      return info.delivered.stream_seq >= target && info.num_ack_pending === 0;
    }, 15_000);
  }

  async eventCount(): Promise<number> {
    const row = await this.svc.db
      .withSchema(this.schema)
      .selectFrom('events')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Latest NodeMembershipChanged seen on JetStream per node of one cluster. */
  latestMembership(clusterId: string): Map<string, any> {
    const latest = new Map<string, any>();
    for (const e of this.published) {
      if (e.type !== 'NodeMembershipChanged') continue;
      const d = e.data as { clusterId: string; node: string };
      if (d.clusterId === clusterId) latest.set(d.node, d);
    }
    return latest;
  }

  publishedOf(clusterId: string, type: string): any[] {
    return this.published
      .filter((e) => e.type === type && (e.data as { clusterId: string }).clusterId === clusterId)
      .map((e) => e.data);
  }
}

const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

export function clusterCreated(
  clusterId: string,
  name: string,
  kubernetesVersion = '1.22.5',
  runtime: 'containerd' | 'docker' = 'containerd',
) {
  const now = new Date().toISOString();
  return {
    clusterId,
    name,
    description: '',
    kubernetesVersion,
    runtime,
    region: 'ap-guangzhou',
    kubeProxyMode: 'iptables',
    vpcId: null,
    vpcCidr: '10.0.0.0/16',
    podCidr: '172.16.0.0/16',
    serviceCidr: '172.17.0.0/20',
    nodeCidrs: [],
    tier: 'L5',
    autoUpgrade: false,
    access: { publicAccess: true, privateAccess: { enabled: false, subnetId: null } },
    remoteLogin: false,
    ca: { certPem: CERT, fingerprint: 'a'.repeat(64), notAfter: '2035-01-01T00:00:00.000Z' },
    createdAt: now,
  };
}

export function nodeJoined(clusterId: string, nodeName: string) {
  return {
    clusterId,
    nodeName,
    source: { kind: 'script' },
    tokenId: null,
    inventory: { arch: 'x86_64', os: 'linux', interface: 'eth0', ips: ['10.1.0.1'], gpuModel: null },
    systemLabels: {
      'kubernetes.io/hostname': nodeName,
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/os': 'linux',
    },
    joinedAt: new Date().toISOString(),
  };
}

export function nodeLabelsChanged(
  clusterId: string,
  nodeName: string,
  set: Record<string, string>,
  removed: string[] = [],
) {
  return { clusterId, nodeName, set, removed, changedAt: new Date().toISOString() };
}

export function nodeRemoved(clusterId: string, nodeName: string) {
  return {
    clusterId,
    nodeName,
    source: { kind: 'script' },
    reason: 'operator',
    releaseMachine: null,
    revokedCredentialSerial: null,
    removedAt: new Date().toISOString(),
  };
}

export function verdictChanged(
  clusterId: string,
  node: string,
  verdict: 'Ready' | 'NotReadyNoExecute' | 'NotReadyNoSchedule',
) {
  const at = new Date().toISOString();
  const ready = verdict === 'Ready';
  return {
    clusterId,
    node,
    verdict,
    previous: null,
    taints: ready ? [] : [{ key: 'node.kubernetes.io/unreachable', value: '', effect: 'NoExecute' }],
    condition: {
      type: 'Ready',
      status: ready ? 'True' : 'Unknown',
      reason: ready ? 'KubeletReady' : 'NodeStatusUnknown',
      message: '',
    },
    rule: ready ? 'cloud-contact' : 'standard-no-unit',
    evidence: {
      cloudLastSeen: ready ? at : null,
      cloudLost: !ready,
      scope: 'none',
      units: [],
      peers: [],
      peersOmitted: 0,
      quorum: { peerSetSize: 0, needed: 0, fresh: 0, healthyVotes: 0, unhealthyVotes: 0, abstained: 0 },
      frozen: false,
      darkUnits: [],
    },
    at,
  };
}

/** Boots a cluster with nodes through published cluster events and waits until nodepool has them all. */
export async function seedCluster(
  h: NodepoolHarness,
  nodes: string[],
  opts: { version?: string; runtime?: 'containerd' | 'docker' } = {},
): Promise<{ clusterId: string; name: string }> {
  const clusterId = `cls-${uniqueName('x').slice(2).replace(/_/g, '')}`;
  const name = uniqueName('edge').replace(/_/g, '-');
  await h.publishEvent(
    'ClusterCreated',
    `cluster-${clusterId}`,
    clusterCreated(clusterId, name, opts.version, opts.runtime),
  );
  for (const n of nodes)
    await h.publishEvent('NodeJoined', `node-${clusterId}-${n}`, nodeJoined(clusterId, n));
  await eventually(async () => {
    const unit = await h
      .call('NodeUnitService', 'GetNodeUnit', { cluster: name, name: 'unit-node-all' })
      .catch(() => undefined);
    return unit && unit.members.length === nodes.length;
  }, 20_000);
  return { clusterId, name };
}
