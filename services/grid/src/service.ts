import { STREAMS } from '@edgeplane/contracts';
import { protoFilesOf } from '@edgeplane/proto';
import type { ServiceDefinition } from '@edgeplane/service-kit';
import { AppModule } from './app.module.js';

export const gridService: ServiceDefinition = {
  name: 'grid',
  schema: 'grid',
  module: AppModule,
  grpcPackages: [],
  protoFiles: protoFilesOf('grid'),
  streams: [STREAMS.GRID],
  defaults: { grpcPort: 50053, metricsPort: 9463 },
};
