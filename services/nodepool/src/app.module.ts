import { Module } from '@nestjs/common';
import { NodepoolWriter } from './writer/nodepool.writer.js';
import { NodeUnitGrpcController } from './node-unit/node-unit.grpc.controller.js';
import { NodeGroupGrpcController } from './node-group/node-group.grpc.controller.js';
import { KinsGrpcController } from './kins/kins.grpc.controller.js';
import { ApplyGrpcController } from './superedge-yaml/apply.grpc.controller.js';
import { NodeMembershipGrpcController } from './membership/node-membership.grpc.controller.js';
import { ClusterEventsConsumer } from './consumers/cluster-events.consumer.js';
import { HealthEventsConsumer } from './consumers/health-events.consumer.js';

/** NodeUnit, NodeGroup, node membership labels, unit status, Kins and `apply -f`. */
@Module({
  controllers: [
    NodeUnitGrpcController,
    NodeGroupGrpcController,
    KinsGrpcController,
    ApplyGrpcController,
    NodeMembershipGrpcController,
  ],
  providers: [NodepoolWriter, ClusterEventsConsumer, HealthEventsConsumer],
})
export class AppModule {}
