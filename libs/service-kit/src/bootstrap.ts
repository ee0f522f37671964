import 'reflect-metadata';
import type http from 'node:http';
import type * as grpc from '@grpc/grpc-js';
import {
  Global,
  Module,
  type DynamicModule,
  type INestMicroservice,
  type OnApplicationBootstrap,
  type Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { STREAMS, type StreamDeclaration } from '@edgeplane/contracts';
import {
  createDatabase,
  EventStore,
  migrateSchema,
  OutboxRelay,
  type Db,
  type InlineProjection,
} from '@edgeplane/eventstore';
import {
  busCredentialsFromEnv,
  connectBus,
  ensureStream,
  JetStreamPublisher,
  MessagingModule,
  type Bus,
  type ConsumerOptions,
  untilReachable,
} from '@edgeplane/messaging';
import { collectDefaultMetrics, createLogger, startTracing, type Logger } from '@edgeplane/observability';
import { HealthImplementation, nestGrpcOptions, platformPkiDir, setServiceIdentity } from '@edgeplane/proto';
import type { Migration } from 'kysely';
import type { z } from 'zod';
import { BaseConfigSchema, parseConfig, serviceSchema, type BaseConfig } from './config.js';
import { ADMIN_GRPC_PACKAGE, ADMIN_PROTO, AdminModule } from './admin/admin.module.js';
import { AccessInterceptor, clusterVerifier, type AccessTable } from './auth/access.js';
import { grpcServerCredentials } from './auth/server-credentials.js';
import { GrpcErrorFilter } from './grpc-errors.js';
import { GrpcTelemetryInterceptor } from './grpc-telemetry.interceptor.js';
import { InputGuardInterceptor } from './input-guard.js';
import { startMetricsServer } from './metrics-server.js';
import { busDependency, databaseDependency, Readiness } from './readiness.js';
import { boundedStep, drainGrpcServer, within } from './shutdown.js';
import { startStartingServer, type StartingServer } from './starting-server.js';
import { BUS, CONFIG, CONSUMER_OPTIONS, DB, EVENT_STORE, HEALTH, LOGGER, SCHEMA } from './tokens.js';

export interface ServiceDefinition<C extends BaseConfig = BaseConfig> {
  /** service name, e.g. 'cluster' (logs, metrics label, trace resource) */
  name: string;
  /** PostgreSQL schema it owns, e.g. 'cluster' */
  schema: string;
  /** the service's Nest module (controllers, handlers, consumers) */
  module: Type<unknown>;
  /** proto packages implemented by its controllers, e.g. ['edgeplane.cluster.v1'] */
  grpcPackages: string[];
  /** .proto files (relative to proto/ or absolute) */
  protoFiles: string[];
  /** its own migrations (static index) */
  migrations?: (schema: string) => Record<string, Migration>;
  /** inline projections applied with every append */
  projections?: (schema: string) => InlineProjection[];
  /** JetStream streams it publishes to or reads (its own + the ones it consumes); DLQ is always ensured */
  streams?: StreamDeclaration[];
  /** extended config schema (must extend BaseConfigSchema) */
  configSchema?: z.ZodType<C>;
  /** default ports when env does not set them */
  defaults?: { grpcPort: number; metricsPort: number };
  /**
   * The role each gRPC method needs (docs/architecture.md, "Identity and authorization"); a
   * method missing here is for cluster-admin only. A function gets the service's database.
   */
  access?: AccessTable | ((deps: { db: Db; schema: string }) => AccessTable);
  /** the cluster service: cluster-CA certificates are checked by calling its own port */
  verifiesCredentials?: boolean;
}

export interface RunningService<C extends BaseConfig = BaseConfig> {
  app: INestMicroservice;
  config: C;
  db: Db;
  bus: Bus;
  store: EventStore;
  relay?: OutboxRelay;
  health: HealthImplementation;
  /** SERVING while the database and the bus answer (drives `health`) */
  readiness: Readiness;
  logger: Logger;
  grpcAddress: string;
  metricsServer: http.Server;
  stop(): Promise<void>;
}

@Global()
@Module({})
class CoreModule {
  static forRoot(values: {
    db: Db;
    bus: Bus;
    store: EventStore;
    schema: string;
    logger: Logger;
    config: unknown;
    health: HealthImplementation;
    consumerOptions: ConsumerOptions;
  }): DynamicModule {
    const providers = [
      { provide: DB, useValue: values.db },
      { provide: BUS, useValue: values.bus },
      { provide: EVENT_STORE, useValue: values.store },
      { provide: SCHEMA, useValue: values.schema },
      { provide: LOGGER, useValue: values.logger },
      { provide: CONFIG, useValue: values.config },
      { provide: HEALTH, useValue: values.health },
      { provide: CONSUMER_OPTIONS, useValue: values.consumerOptions },
    ];
    return { module: CoreModule, providers, exports: providers.map((p) => p.provide) };
  }
}

/**
 * Boots one Edgeplane service: config (zod, from env) → tracing → the gRPC port answering
 * NOT_SERVING (starting-server.ts) → PostgreSQL schema migrated → NATS connected and JetStream
 * streams ensured → event store + outbox relay → Nest providers (JetStream consumers, the
 * services' own KV buckets) → Nest gRPC server on the port (with health, reflection, error
 * mapping, spans, latency metrics) → /metrics. PostgreSQL or NATS away at start is waited for
 * (`untilReachable`: logged, capped backoff) while the port says NOT_SERVING; a permanent error
 * ends the start. Health turns SERVING only when all of that is up; SIGTERM/SIGINT drain in
 * reverse order.
 */
export async function bootstrapService<C extends BaseConfig>(
  def: ServiceDefinition<C>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningService<C>> {
  const withDefaults = {
    GRPC_PORT: def.defaults ? String(def.defaults.grpcPort) : undefined,
    METRICS_PORT: def.defaults ? String(def.defaults.metricsPort) : undefined,
    ...env,
  };
  const config = parseConfig(def.configSchema ?? BaseConfigSchema, withDefaults) as C;
  // A side-by-side instance (tests, e2e) runs on a schema of its own; any schema is in EDGEPLANE_ENV.
  const { logical: logicalSchema, schema } = serviceSchema(def.schema, config);
  def = { ...def, schema };
  await startTracing(def.name);
  collectDefaultMetrics(def.name);
  // the platform PKI: env given, else this process's, else .edgeplane/pki (auth/pki.ts)
  const pkiEnv = { ...env, EDGEPLANE_PKI_DIR: env.EDGEPLANE_PKI_DIR ?? process.env.EDGEPLANE_PKI_DIR };
  setServiceIdentity(def.name);
  const credentials = grpcServerCredentials(def.name, pkiEnv);

  const health = new HealthImplementation({ '': 'NOT_SERVING' });
  const grpcAddress = `${config.GRPC_HOST}:${config.GRPC_PORT}`;
  const grpcOptions = nestGrpcOptions({
    url: grpcAddress,
    packages: [...def.grpcPackages, ADMIN_GRPC_PACKAGE],
    files: [...def.protoFiles, ADMIN_PROTO],
    health,
  });
  const pkiDir = platformPkiDir(pkiEnv);
  // The port answers from the first moment: NOT_SERVING while the start waits for its
  // dependencies (below), then handed to Nest's server once everything is provisioned.
  const starting: StartingServer = await startStartingServer({
    service: def.name,
    address: grpcAddress,
    health,
    packageDefinition: grpcOptions.packageDefinition,
    packages: grpcOptions.package,
    credentials,
  });
  try {
    return await startService({
      def,
      config,
      logicalSchema,
      health,
      grpcOptions,
      starting,
      credentials,
      pkiDir,
    });
  } finally {
    await starting.close();
  }
}

/** Everything after the port is taken: dependencies (waited for), Nest, relay, readiness. */
async function startService<C extends BaseConfig>({
  def,
  config,
  logicalSchema,
  health,
  grpcOptions,
  starting,
  credentials,
  pkiDir,
}: {
  def: ServiceDefinition<C>;
  config: C;
  logicalSchema: string;
  health: HealthImplementation;
  grpcOptions: ReturnType<typeof nestGrpcOptions>;
  starting: StartingServer;
  credentials: grpc.ServerCredentials;
  pkiDir: string;
}): Promise<RunningService<C>> {
  const grpcAddress = grpcOptions.url;
  const logger = createLogger(def.name, config.LOG_LEVEL);
  let readiness: Readiness | undefined = undefined; // made once the service is up; told of trouble
  const db = createDatabase({
    url: config.DATABASE_URL,
    applicationName: def.name,
    // pg replaces a broken connection on the next query; the process must not die of it
    onConnectionError: (err) => {
      logger.warn({ err: err.message }, 'database connection lost; reconnecting');
      void readiness?.poke();
    },
  });
  // PostgreSQL or NATS away at start: wait for them (transient failures only); a real error exits
  const applied = await untilReachable(logger, 'database', 'schema migration', () =>
    migrateSchema(db, def.schema, def.migrations?.(def.schema) ?? {}),
  );
  if (applied.length > 0) logger.info({ migrations: applied }, 'schema migrated');

  const bus = await untilReachable(logger, 'message bus', 'connect', () =>
    connectBus({
      url: config.NATS_URL,
      name: def.name,
      credentials: busCredentialsFromEnv({
        NATS_NKEY_SEED_FILE: config.NATS_NKEY_SEED_FILE,
        NATS_USER: config.NATS_USER,
        NATS_PASSWORD: config.NATS_PASSWORD,
        NATS_PASSWORD_FILE: config.NATS_PASSWORD_FILE,
        NATS_INBOX_PREFIX: config.NATS_INBOX_PREFIX,
      }),
      onConnectionChange: ({ type, server }) => {
        logger.warn(
          { server },
          type === 'disconnect' ? 'bus connection lost; reconnecting' : 'bus reconnected',
        );
        void readiness?.poke();
      },
    }),
  );
  for (const stream of [...(def.streams ?? []), STREAMS.DEAD_LETTER])
    await untilReachable(logger, 'message bus', `stream ${stream.name}`, () => ensureStream(bus.jsm, stream));

  const store = new EventStore(db, def.schema);
  if (def.projections) store.useProjections(...def.projections(def.schema));

  // A second instance on its own schema (tests) gets its own durable consumers; replicas of one
  // service share theirs (work is split between them).
  const canonical = def.name.replace(/-/g, '_');
  const consumerOptions: ConsumerOptions = {
    durableSuffix: logicalSchema === canonical ? '' : `-${logicalSchema.replace(/_/g, '-')}`,
    deliverNew: config.CONSUMER_START === 'new',
  };
  @Module({
    imports: [
      CoreModule.forRoot({ db, bus, store, schema: def.schema, logger, config, health, consumerOptions }),
      MessagingModule.forRoot(),
      AdminModule.forRoot({ service: def.name }), // edgeplane.admin.v1: dead letters, parked events
      def.module,
    ],
  })
  class RootModule implements OnApplicationBootstrap {
    // Nest runs the root module's hook last, after every provider's; the next step binds the port.
    // (Not app.init() before app.listen(): a microservice then runs every bootstrap hook twice.)
    async onApplicationBootstrap(): Promise<void> {
      await starting.close();
    }
  }

  let grpcServer: grpc.Server | undefined; // Nest's, kept to drain it on stop
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(RootModule, {
    transport: Transport.GRPC,
    options: {
      ...grpcOptions,
      credentials,
      onLoadPackageDefinition: (pkg, server) => {
        grpcServer = server as unknown as grpc.Server;
        grpcOptions.onLoadPackageDefinition(pkg, server);
      },
    },
    logger: ['error', 'warn'],
  });
  app.useGlobalFilters(new GrpcErrorFilter());
  // who calls, and may they (before the input is even looked at); handlers run as that actor
  const access = new AccessInterceptor({
    service: def.name,
    table: typeof def.access === 'function' ? def.access({ db, schema: def.schema }) : (def.access ?? {}),
    verify: clusterVerifier(
      def.verifiesCredentials
        ? selfAddress(config.GRPC_HOST, config.GRPC_PORT)
        : config.EDGEPLANE_CLUSTER_ADDR,
    ),
    pkiDir,
  });
  app.useGlobalInterceptors(new GrpcTelemetryInterceptor(), access, new InputGuardInterceptor());
  // Providers start here (consumers provisioned, KV buckets opened: each waits for NATS by
  // itself), then RootModule hands the port over, then Nest's server binds it.
  await app.listen();

  let relay: OutboxRelay | undefined;
  if (config.RELAY_ENABLED) {
    relay = new OutboxRelay(store, new JetStreamPublisher(bus), {
      databaseUrl: config.DATABASE_URL,
      onError: (err) => logger.error({ err: (err as Error).message }, 'relay error'),
      onParked: (event, reason) =>
        logger.error(
          { eventId: event.id, type: event.type, position: event.globalPosition, reason },
          'event parked',
        ),
    });
    await relay.start();
  }
  const metricsServer = await startMetricsServer(config.METRICS_PORT);

  // SERVING from here on while the database and the bus answer; NOT_SERVING while either is gone.
  readiness = new Readiness({
    health,
    services: def.grpcPackages,
    dependencies: [databaseDependency(db), busDependency(bus)],
    logger,
  });
  await readiness.start();
  logger.info(
    { grpc: grpcAddress, metrics: config.METRICS_PORT, ...readiness.problems },
    readiness.ready
      ? `${def.name} serving`
      : `${def.name} started; NOT_SERVING until its dependencies answer`,
  );

  const drainMs = config.SHUTDOWN_DRAIN_MS;
  const ready = readiness;
  let stopping: Promise<void> | undefined;
  // Graceful stop: NOT_SERVING at once; no new calls, the running ones finish (bounded); the
  // consumers settle their current batch; the relay stops; then the connections close.
  const stop = () =>
    (stopping ??= (async () => {
      health.shutdown();
      ready.stop();
      if (grpcServer) {
        const { drained, ms } = await drainGrpcServer(grpcServer, drainMs);
        if (drained) logger.info({ ms }, 'gRPC calls drained');
        else logger.warn({ ms }, `gRPC calls still running after ${drainMs} ms were cancelled`);
      }
      // Consumers stop after the batch they hold is settled (Nest's shutdown hooks); with the
      // database gone that could wait long: past the bound, its messages stay unacked and come back.
      const closing = app.close().catch((err) => logger.error({ err: String(err) }, 'close failed'));
      await boundedStep(closing, 5000, () => logger.warn('consumers not stopped within 5 s; exiting anyway'));
      if (relay) await boundedStep(relay.stop(), 3000, () => logger.warn('relay not stopped within 3 s'));
      await within(new Promise<void>((r) => metricsServer.close(() => r())), 2000, undefined);
      // an unreachable bus or database must not hold the exit: a bounded wait, then close hard
      const busClosed = await within(
        bus.close().then(() => true),
        2000,
        false,
      );
      if (!busClosed) await bus.nc.close();
      await within(db.destroy(), 2000, undefined);
      logger.info(`${def.name} stopped`);
    })());
  return { app, config, db, bus, store, relay, health, readiness, logger, grpcAddress, metricsServer, stop };
}

/** This service's own port as a client reaches it (a wildcard host → loopback). */
function selfAddress(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  return `${h.includes(':') ? `[${h}]` : h}:${port}`;
}

/** main.ts helper: boot, and stop cleanly on SIGTERM/SIGINT; exit non-zero with the reason on failure. */
export function runService<C extends BaseConfig>(def: ServiceDefinition<C>): void {
  bootstrapService(def).then(
    (svc) => {
      let signalled = false;
      const onSignal = (signal: string) => {
        if (signalled) {
          svc.logger.warn({ signal }, 'second signal: exiting now');
          process.exit(1);
        }
        signalled = true;
        svc.logger.info({ signal }, 'shutting down');
        void svc.stop().then(
          () => process.exit(0),
          (err: unknown) => {
            svc.logger.error({ err: String(err) }, 'stop failed');
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    },
    (error: unknown) => {
      process.stderr.write(`${def.name} failed to start: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
