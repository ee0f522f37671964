import { protoFilesOf } from '@edgeplane/proto';
import type { ServiceDefinition } from '@edgeplane/service-kit';
import { AppModule } from './app.module.js';

export const tunnelService: ServiceDefinition = {
  name: 'tunnel',
  schema: 'tunnel',
  module: AppModule,
  grpcPackages: [],
  protoFiles: protoFilesOf('tunnel'),
  streams: [],
  defaults: { grpcPort: 50055, metricsPort: 9465 },
};
