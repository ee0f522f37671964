import { protoFilesOf } from '@edgeplane/proto';
import type { ServiceDefinition } from '@edgeplane/service-kit';
import { AppModule } from './app.module.js';

export const addonsService: ServiceDefinition = {
  name: 'addons',
  schema: 'addons',
  module: AppModule,
  grpcPackages: [],
  protoFiles: protoFilesOf('addons'),
  streams: [],
  defaults: { grpcPort: 50056, metricsPort: 9466 },
};
