import { Module } from '@nestjs/common';
import { ConnectionHandler } from './connection/connection.handler.js';
import { ClusterEventsConsumer } from './consumers/cluster-events.consumer.js';
import { NodePodsConsumer } from './consumers/node-pods.consumer.js';
import { PeerScopeConsumer } from './consumers/peer-scope.consumer.js';
import { UnitServicesConsumer } from './consumers/unit-services.consumer.js';
import { GatewayRuntime } from './gateway/gateway.runtime.js';
import { GatewayCaHandler } from './gateway-ca/gateway-ca.handler.js';
import { RemoteAccessGrpcController } from './remote-access/remote-access.grpc.controller.js';
import { CLOCK, NEW_ID, randomId, systemClock } from './tokens.js';

/** The tunnel service: gateway CA and join endpoint, the agents' tunnel, forwarding between replicas. */
@Module({
  controllers: [RemoteAccessGrpcController],
  providers: [
    GatewayCaHandler,
    ConnectionHandler,
    ClusterEventsConsumer,
    PeerScopeConsumer,
    NodePodsConsumer,
    UnitServicesConsumer,
    GatewayRuntime,
    { provide: CLOCK, useValue: systemClock },
    { provide: NEW_ID, useValue: randomId },
  ],
})
export class AppModule {}
