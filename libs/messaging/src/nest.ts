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
          db: this.db,
          schema: this.schema,
          handler,
          logger: this.logger,
        });
        await runner.start();
        this.runners.push(runner);
        this.logger.info({ consumer: decl.durable, stream: decl.stream }, 'consumer started');
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
  /** Needs BUS, DB, SCHEMA and LOGGER provided globally (the service kit does). */
  static forRoot(): DynamicModule {
    return {
      module: MessagingModule,
      imports: [DiscoveryModule],
      providers: [JetStreamConsumers],
      exports: [JetStreamConsumers],
    };
  }
}
