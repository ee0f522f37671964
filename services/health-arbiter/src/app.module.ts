import { Module } from '@nestjs/common';
import { DomainInputsConsumer } from './consumers/domain-inputs.consumer.js';
import { HealthGrpcController } from './grpc/health.grpc.controller.js';
import { HealthArbiter } from './runtime/health-arbiter.runtime.js';

/** Health arbitration: engines + signal ingest + tick (HealthArbiter), domain inputs, gRPC API. */
@Module({
  controllers: [HealthGrpcController],
  providers: [HealthArbiter, DomainInputsConsumer],
})
export class AppModule {}
