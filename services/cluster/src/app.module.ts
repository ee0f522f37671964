import { Module, type Type } from '@nestjs/common';
import { keyringProvider } from '@edgeplane/service-kit';
import { ClusterGrpcController } from './cluster/cluster.grpc.controller.js';
import { ClusterHandler } from './cluster/cluster.handler.js';
import { ForeignEventsConsumer } from './consumers/foreign-events.consumer.js';
import { GatewayCaConsumer } from './consumers/gateway-ca.consumer.js';
import { ClusterReactors } from './consumers/reactors.consumer.js';
import { InstallScriptStore } from './join-token/install-scripts.store.js';
import { JoinTokenGrpcController } from './join-token/join-token.grpc.controller.js';
import { JoinTokenHandler } from './join-token/join-token.handler.js';
import { JoinServer } from './join-token/join-server.pins.js';
import { NodeGrpcController } from './node/node.grpc.controller.js';
import { NodeHandler } from './node/node.handler.js';
import { KeyStore } from './pki/key-store.js';
import { SecretsAtRest } from './pki/secrets-at-rest.js';
import { LocalMachineProvider } from './providers/local.provider.js';
import { MachineProviderRegistry, type MachineProvider } from './providers/machine-provider.js';
import {
  CLOCK,
  ID_GENERATOR,
  MACHINE_PROVIDERS,
  randomIds,
  systemClock,
  type Clock,
  type IdGenerator,
} from './tokens.js';

export interface ClusterModuleOptions {
  /** the service clock (tests move it to expire join tokens); default: the system clock */
  clock?: Clock;
  /** the ids put on commands (cluster, token, drain request); default: random */
  ids?: IdGenerator;
  /** machine providers (F-NO-5); default: `local` (without an agent launcher until edge/ ships one) */
  providers?: MachineProvider[];
}

/** The cluster service's Nest module: gRPC controllers, handlers, the key store, consumers. */
export function clusterAppModule(options: ClusterModuleOptions = {}): Type<unknown> {
  @Module({
    controllers: [ClusterGrpcController, JoinTokenGrpcController, NodeGrpcController],
    providers: [
      keyringProvider,
      KeyStore,
      InstallScriptStore,
      SecretsAtRest,
      JoinServer,
      ClusterHandler,
      JoinTokenHandler,
      NodeHandler,
      ClusterReactors,
      ForeignEventsConsumer,
      GatewayCaConsumer,
      { provide: CLOCK, useValue: options.clock ?? systemClock },
      { provide: ID_GENERATOR, useValue: options.ids ?? randomIds },
      {
        provide: MACHINE_PROVIDERS,
        useValue: new MachineProviderRegistry(options.providers ?? [new LocalMachineProvider()]),
      },
    ],
  })
  class AppModule {}
  return AppModule;
}
