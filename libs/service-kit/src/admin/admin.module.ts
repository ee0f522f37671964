import { Module, type DynamicModule } from '@nestjs/common';
import { ADMIN_SERVICE_NAME, AdminGrpcController } from './admin.grpc.controller.js';

/** The proto package every service serves besides its own (bootstrap adds it). */
export const ADMIN_GRPC_PACKAGE = 'edgeplane.admin.v1';
/** Its file, relative to proto/. */
export const ADMIN_PROTO = 'edgeplane/admin/v1/admin.proto';

/**
 * Operator maintenance of delivery (dead letters, parked events) for the service it is part of.
 * Needs BUS, EVENT_STORE and the messaging module's JetStreamConsumers (the service kit provides them).
 */
@Module({})
export class AdminModule {
  static forRoot(options: { service: string }): DynamicModule {
    return {
      module: AdminModule,
      controllers: [AdminGrpcController],
      providers: [{ provide: ADMIN_SERVICE_NAME, useValue: options.service }],
    };
  }
}
