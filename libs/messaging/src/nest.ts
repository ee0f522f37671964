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
import type { Db } from '@edgeplane/eventstore';
import type { Logger } from '@edgeplane/observability';
import {
  isEvent,
  subscriptionOf,
  type Envelope,
  type EnvelopeOf,
  type EventDefinition,
} from '@edgeplane/contracts';
import type { Bus } from './connection.js';
import { ConsumerRunner, type EnvelopeHandler, type HandlerContext } from './consumer-runner.js';
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

/** Settings of one durable consumer; stream and filter subject come from its events. */
export interface HandlerDeclaration<Events extends readonly EventDefinition[]>
  extends Omit<ConsumerDeclaration, 'stream' | 'filterSubject'> {
  /** the catalogue events the handler takes; any other event under the same filter is skipped */
  events: Events;
}

type TypedHandler<Events extends readonly EventDefinition[]> = (
  envelope: EnvelopeOf<Events>,
  ctx: HandlerContext,
) => Promise<void>;

/**
 * Marks a provider method as the handler of a durable JetStream consumer of catalogue events:
 *   @JetStreamHandler({ durable: 'nodepool__cluster-events', events: [NodeJoined, NodeRemoved] })
 *   async onNodeEvent(envelope: EnvelopeOf<[typeof NodeJoined, typeof NodeRemoved]>, ctx: HandlerContext)
 * The stream and the filter subject are derived from the events; the handler only ever sees
 * those events, typed by their schemas (`switch (envelope.type)` narrows `data`). The method
 * runs inside a transaction that also records the message in the inbox; the message is acked
 * after it commits.
 */
export function JetStreamHandler<const Events extends readonly EventDefinition[]>(
  declaration: HandlerDeclaration<Events>,
) {
  return (
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<TypedHandler<Events>>,
  ): void => {
    const { events, ...settings } = declaration;
    const { stream, filterSubject } = subscriptionOf(events);
    const consumer: RegisteredConsumer = {
      declaration: { ...settings, stream: stream.name, filterSubject },
      accepts: (envelope) => isEvent(envelope, ...events),
    };
    SetMetadata(HANDLER_META, consumer)(target, key, descriptor);
  };
}

interface RegisteredConsumer {
  declaration: ConsumerDeclaration;
  accepts(envelope: Envelope): boolean;
}

@Injectable()
export class JetStreamConsumers implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly runners: ConsumerRunner[] = [];

  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(DB) private readonly db: Db,
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
        const registered = Reflect.getMetadata(HANDLER_META, fn as object) as RegisteredConsumer | undefined;
        if (!registered) continue;
        const { declaration: decl, accepts } = registered;
        const bound = (fn as EnvelopeHandler).bind(instance);
        // Other events under the same filter subject are settled without a call.
        const handler: EnvelopeHandler = (envelope, ctx) =>
          accepts(envelope) ? bound(envelope, ctx) : Promise.resolve();
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
