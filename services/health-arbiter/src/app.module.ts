import { Module } from '@nestjs/common';
import { DomainInputsConsumer } from './consumers/domain-inputs.consumer.js';
import { HealthArbiter } from './runtime/health-arbiter.runtime.js';
import { HealthSettingsGrpcController } from './settings/settings.grpc.controller.js';
import { HealthSettingsHandler } from './settings/settings.handler.js';
import { CLOCK, systemClock } from './tokens.js';
import { NodeVerdictGrpcController } from './verdict/verdict.grpc.controller.js';
import { NodeVerdictHandler } from './verdict/verdict.handler.js';

/**
 * Health arbitration: engines + signal ingest + tick (HealthArbiter), the settings and verdict
 * handlers, domain inputs, gRPC API (HealthService, one controller per aggregate).
 */
@Module({
  controllers: [HealthSettingsGrpcController, NodeVerdictGrpcController],
  providers: [
    HealthArbiter,
    HealthSettingsHandler,
    NodeVerdictHandler,
    DomainInputsConsumer,
    { provide: CLOCK, useValue: systemClock },
  ],
})
export class AppModule {}
