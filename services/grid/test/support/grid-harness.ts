import * as grpc from '@grpc/grpc-js';
import { DeliverPolicy } from '@nats-io/jetstream';
import { sql } from 'kysely';
import { decodeEnvelope, schemaName, streamName, STREAMS, type Envelope } from '@edgeplane/contracts';
import { createDatabase } from '@edgeplane/eventstore';
import type { Bus } from '@edgeplane/messaging';
import { loadPackage, protoFilesOf, type EdgeplaneGridV1GridProto } from '@edgeplane/proto';
import { bootstrapService, type RunningService } from '@edgeplane/service-kit';
import {
  eventually,
  freePort,
  publishEvent,
  testBus,
  testGrpcCredentials,
  testServices,
  uniqueName,
} from '@edgeplane/testing';
import { inSchema } from '../../src/db/database.js';
import { gridService } from '../../src/service.js';

type Unary = (req: unknown, md: grpc.Metadata, cb: (err: grpc.ServiceError | null, res: any) => void) => void;

/**
 * One grid service booted in-process on its own schema (its durables suffixed by it, starting at
 * the streams' end) with a real gRPC client, a bus to publish the cluster / nodepool / health
 * events the other services would, and a tap on the GRID stream.
 */
export class GridHarness {
  svc!: RunningService;
  bus!: Bus;
  readonly logicalSchema = uniqueName('t_grid').toLowerCase();
  readonly schema = schemaName(this.logicalSchema);
  /** every envelope the relay published on EDGEPLANE_GRID since start */
  readonly published: Envelope[] = [];
  private client!: grpc.Client & Record<string, Unary>;
  private tapStop?: () => Promise<void>;

  async start(): Promise<void> {
    const { databaseUrl, natsUrl } = await testServices();
    this.bus = await testBus();
    const tap = await this.bus.js.consumers.get(streamName(STREAMS.GRID.name), {
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
    this.tapStop = () => messages.close().then(() => undefined);
    const grpcPort = await freePort();
    this.svc = await bootstrapService(
      { ...gridService, schema: this.schema },
      {
        DATABASE_URL: databaseUrl,
        NATS_URL: natsUrl,
        GRPC_PORT: String(grpcPort),
        METRICS_PORT: String(await freePort()),
        GRPC_HOST: '127.0.0.1',
        LOG_LEVEL: 'error',
        CONSUMER_START: 'new',
        GRID_ROLLOUT_TICK_MS: '500',
      },
    );
    const { grpcObject } = loadPackage<EdgeplaneGridV1GridProto>(protoFilesOf('grid'));
    const Ctor = grpcObject.edgeplane.grid.v1.GridService;
    this.client = new Ctor(`127.0.0.1:${grpcPort}`, testGrpcCredentials()) as unknown as grpc.Client &
      Record<string, Unary>;
  }

  async stop(): Promise<void> {
    this.client?.close();
    await this.tapStop?.().catch(() => undefined);
    await this.svc?.stop();
    const suffix = `-${this.logicalSchema.replace(/_/g, '-')}`;
    for (const declared of [STREAMS.CLUSTER.name, STREAMS.NODEPOOL.name, STREAMS.HEALTH.name]) {
      const stream = streamName(declared);
      for await (const c of this.bus.jsm.consumers.list(stream))
        if (c.name.endsWith(suffix))
          await this.bus.jsm.consumers.delete(stream, c.name).catch(() => undefined);
    }
    await this.bus?.close();
    const db = createDatabase({ url: (await testServices()).databaseUrl, max: 1 });
    await sql`DROP SCHEMA IF EXISTS ${sql.id(this.schema)} CASCADE`.execute(db).catch(() => undefined);
    await db.destroy();
  }

  call<T = any>(method: string, request: unknown): Promise<T> {
    return new Promise((resolve, reject) =>
      this.client[method]!.call(this.client, request, new grpc.Metadata(), (err, res) =>
        err ? reject(err) : resolve(res),
      ),
    );
  }

  publish(type: string, streamId: string, data: unknown): Promise<void> {
    return publishEvent(this.bus, type, streamId, data);
  }

  async eventCount(): Promise<number> {
    const row = await this.svc.db
      .withSchema(this.schema)
      .selectFrom('events')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /**
   * Waits until the service consumed the upstream events of a cluster: `nodes` joined nodes that
   * are in some unit, and the groups named, with their units.
   */
  async upstreamSettled(clusterId: string, nodes: number, groups: Record<string, string[]>): Promise<void> {
    const db = inSchema(this.svc.db, this.schema);
    await eventually(async () => {
      const known = await db
        .selectFrom('proj_nodes')
        .select(['joined_at', 'units'])
        .where('cluster_id', '=', clusterId)
        .execute();
      const placed = known.filter((n) => n.joined_at !== '' && n.units.length > 0).length;
      const rows = await db
        .selectFrom('proj_groups')
        .select(['name', 'units'])
        .where('cluster_id', '=', clusterId)
        .execute();
      const have = Object.fromEntries(rows.map((r) => [r.name, [...r.units].sort()]));
      const want = Object.fromEntries(Object.entries(groups).map(([g, u]) => [g, [...u].sort()]));
      return placed === nodes && JSON.stringify(have) === JSON.stringify(want);
    }, 30_000);
  }

  /** Whether the service has seen the cordon on a node. */
  async cordoned(clusterId: string, node: string): Promise<boolean> {
    const row = await inSchema(this.svc.db, this.schema)
      .selectFrom('proj_nodes')
      .select('cordoned_by')
      .where('cluster_id', '=', clusterId)
      .where('name', '=', node)
      .executeTakeFirst();
    return (row?.cordoned_by.length ?? 0) > 0;
  }

  /** The latest NodePodsAssigned published per node of one cluster (pod names). */
  nodePods(clusterId: string): Map<string, string[]> {
    const latest = new Map<string, string[]>();
    for (const e of this.published) {
      if (e.type !== 'NodePodsAssigned') continue;
      const d = e.data as { clusterId: string; node: string; pods: { pod: string }[] };
      if (d.clusterId === clusterId)
        latest.set(
          d.node,
          d.pods.map((p) => p.pod),
        );
    }
    return latest;
  }
}
