import {
  Global,
  Inject,
  Injectable,
  Module,
  SetMetadata,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { AnyDb } from '@edgeplane/eventstore';
import type { Logger } from '@edgeplane/observability';
import type { Bus } from './connection.js';
import { ConsumerRunner, type EnvelopeHandler } from './consumer-runner.js';
import type { ConsumerDeclaration } from './provisioning.js';

export const BUS = Symbol('edgeplane.bus');
export const DB = Symbol('edgeplane.db');
export const SCHEMA = Symbol('edgeplane.schema');
export const LOGGER = Symbol('edgeplane.logger');
/** { durableSuffix, deliverNew } applied to every declared consumer of the process */
export const CONSUMER_OPTIONS = Symbol('edgeplane.consumer-options');
export interface ConsumerOptions {
  /** appended to every durable name (a test instance with its own schema gets its own consumers) */
  durableSuffix: string;
  /** start new durables at the stream's end instead of its beginning (tests) */
  deliverNew: boolean;
}
const HANDLER_META = 'edgeplane:jetstream-handler';

/**
 * Marks a provider method as the handler of a durable JetStream consumer:
 *   @JetStreamHandler({ stream: STREAMS.CLUSTER.name, durable: 'nodepool__node-events' })
 *   async onNodeEvent(envelope: Envelope, ctx: HandlerContext) { ... }
 * The method runs inside a transaction that also records the message in the inbox; the message
 * is acked after it commits.
 */
export const JetStreamHandler = (declaration: ConsumerDeclaration): MethodDecorator =>
  SetMetadata(HANDLER_META, declaration);

@Injectable()
export class JetStreamConsumers implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly runners: ConsumerRunner[] = [];

  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(DB) private readonly db: AnyDb,
    @Inject(SCHEMA) private readonly schema: string,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CONSUMER_OPTIONS) private readonly consumerOptions: ConsumerOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const proto = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(proto)) {
        const fn = (proto as Record<string, unknown>)[method];
        const decl = Reflect.getMetadata(HANDLER_META, fn as object) as ConsumerDeclaration | undefined;
        if (!decl) continue;
        const handler = (fn as EnvelopeHandler).bind(instance);
        const runner = new ConsumerRunner(this.bus, {
          ...decl,
          durable: decl.durable + this.consumerOptions.durableSuffix,
          deliverNew: decl.deliverNew || this.consumerOptions.deliverNew,
          // a side-by-side instance's durables go away by themselves an hour after it stops
          ...(this.consumerOptions.durableSuffix ? { inactiveThresholdMs: 3_600_000 } : {}),
          db: this.db,
          schema: this.schema,
          handler,
          logger: this.logger,
        });
        await runner.start();
        this.runners.push(runner);
        this.logger.info({ consumer: runner.durable, stream: decl.stream }, 'consumer started');
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
  }
}

@Global()
@Module({})
export class MessagingModule {
  /** Needs BUS, DB, SCHEMA, LOGGER and CONSUMER_OPTIONS provided globally (the service kit does). */
  static forRoot(): DynamicModule {
    return {
      module: MessagingModule,
      imports: [DiscoveryModule],
      providers: [JetStreamConsumers],
      exports: [JetStreamConsumers],
    };
  }
}
