import { Module } from '@nestjs/common';
import type { Db } from '@edgeplane/eventstore';
import { DB, SCHEMA } from '@edgeplane/service-kit';
import { ClusterEventsConsumer } from './consumers/cluster-events.consumer.js';
import { HealthEventsConsumer } from './consumers/health-events.consumer.js';
import { NodepoolEventsConsumer } from './consumers/nodepool-events.consumer.js';
import { PodStatusConsumer } from './consumers/pod-status.consumer.js';
import { inSchema } from './db/database.js';
import { GridGrpcController } from './grid/grid.grpc.controller.js';
import { GridHandler } from './grid/grid.handler.js';
import { ClusterLock } from './reconciler/cluster-lock.js';
import { GridReconciler } from './reconciler/grid.reconciler.js';
import { CLOCK, SCHEMA_QUERIES, systemClock } from './tokens.js';

/** DeploymentGrid / StatefulSetGrid / ServiceGrid: fan-out per unit, placement, staged rollout. */
@Module({
  controllers: [GridGrpcController],
  providers: [
    { provide: CLOCK, useValue: systemClock },
    {
      provide: SCHEMA_QUERIES,
      useFactory: (db: Db, schema: string) => inSchema(db, schema),
      inject: [DB, SCHEMA],
    },
    ClusterLock,
    GridReconciler,
    GridHandler,
    ClusterEventsConsumer,
    NodepoolEventsConsumer,
    HealthEventsConsumer,
    PodStatusConsumer,
  ],
})
export class AppModule {}
