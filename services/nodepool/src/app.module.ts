import { Module } from '@nestjs/common';
import type { Db } from '@edgeplane/eventstore';
import { DB, SCHEMA } from '@edgeplane/service-kit';
import { ClusterEventsConsumer } from './consumers/cluster-events.consumer.js';
import { HealthEventsConsumer } from './consumers/health-events.consumer.js';
import { inSchema } from './db/database.js';
import { NodeGroupGrpcController } from './node-group/node-group.grpc.controller.js';
import { NodeGroupHandler } from './node-group/node-group.handler.js';
import { NodeMembershipGrpcController } from './node-membership/node-membership.grpc.controller.js';
import { KinsGrpcController } from './node-unit/kins.grpc.controller.js';
import { NodeUnitGrpcController } from './node-unit/node-unit.grpc.controller.js';
import { NodeUnitHandler } from './node-unit/node-unit.handler.js';
import { ClusterLock } from './reconciler/cluster-lock.js';
import { MembershipReconciler } from './reconciler/membership.reconciler.js';
import { ApplyGrpcController } from './superedge-yaml/apply.grpc.controller.js';
import { ApplyHandler } from './superedge-yaml/apply.handler.js';
import { CLOCK, SCHEMA_QUERIES, systemClock } from './tokens.js';

/** NodeUnit, NodeGroup, node membership labels, unit status, Kins and `apply -f`. */
@Module({
  controllers: [
    NodeUnitGrpcController,
    KinsGrpcController,
    NodeGroupGrpcController,
    ApplyGrpcController,
    NodeMembershipGrpcController,
  ],
  providers: [
    { provide: CLOCK, useValue: systemClock },
    {
      provide: SCHEMA_QUERIES,
      useFactory: (db: Db, schema: string) => inSchema(db, schema),
      inject: [DB, SCHEMA],
    },
    ClusterLock,
    MembershipReconciler,
    NodeUnitHandler,
    NodeGroupHandler,
    ApplyHandler,
    ClusterEventsConsumer,
    HealthEventsConsumer,
  ],
})
export class AppModule {}
