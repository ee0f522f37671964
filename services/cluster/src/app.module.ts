import { Module, type Type } from '@nestjs/common';
import { KeyStore } from './app/key-store.js';
import { ReadModel } from './app/read-model.js';
import { ClusterGrpcController } from './cluster/cluster.grpc.controller.js';
import { ClusterHandler } from './cluster/cluster.handler.js';
import { ForeignEventsConsumer } from './consumers/foreign-events.consumer.js';
import { ClusterReactors } from './consumers/reactors.consumer.js';
import { JoinTokenGrpcController } from './join-token/join-token.grpc.controller.js';
import { JoinTokenHandler } from './join-token/join-token.handler.js';
import { NodeGrpcController } from './node/node.grpc.controller.js';
import { NodeHandler } from './node/node.handler.js';
import { LocalMachineProvider } from './providers/local.provider.js';
import { MachineProviderRegistry, type MachineProvider } from './providers/machine-provider.js';
import { CLOCK, MACHINE_PROVIDERS, systemClock, type Clock } from './tokens.js';

export interface ClusterModuleOptions {
  /** the service clock (tests move it to expire join tokens); default: the system clock */
  clock?: Clock;
  /** machine providers (F-NO-5); default: `local` (without an agent launcher until edge/ ships one) */
  providers?: MachineProvider[];
}

/** The cluster service's Nest module: gRPC controllers, handlers, read models, consumers. */
export function clusterAppModule(options: ClusterModuleOptions = {}): Type<unknown> {
  @Module({
    controllers: [ClusterGrpcController, JoinTokenGrpcController, NodeGrpcController],
    providers: [
      ReadModel,
      KeyStore,
      ClusterHandler,
      JoinTokenHandler,
      NodeHandler,
      ClusterReactors,
      ForeignEventsConsumer,
      { provide: CLOCK, useValue: options.clock ?? systemClock },
      {
        provide: MACHINE_PROVIDERS,
        useValue: new MachineProviderRegistry(options.providers ?? [new LocalMachineProvider()]),
      },
    ],
  })
  class AppModule {}
  return AppModule;
}

export const AppModule = clusterAppModule();
