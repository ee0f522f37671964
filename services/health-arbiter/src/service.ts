import { STREAMS } from '@edgeplane/contracts';
import { protoFilesOf } from '@edgeplane/proto';
import type { ServiceDefinition } from '@edgeplane/service-kit';
import { HEALTH_ACCESS } from './access.js';
import { AppModule } from './app.module.js';
import { HealthArbiterConfigSchema, type HealthArbiterConfig } from './config.js';
import { healthArbiterMigrations } from './db/migrations.js';
import { settingsProjection } from './projections/settings.projection.js';
import { verdictsProjection } from './projections/verdicts.projection.js';

export const healthArbiterService: ServiceDefinition<HealthArbiterConfig> = {
  name: 'health-arbiter',
  schema: 'health_arbiter',
  module: AppModule,
  grpcPackages: ['edgeplane.health.v1'],
  protoFiles: protoFilesOf('health-arbiter'),
  migrations: healthArbiterMigrations,
  projections: (schema) => [settingsProjection(schema), verdictsProjection(schema)],
  streams: [STREAMS.HEALTH, STREAMS.SIGNALS, STREAMS.CLUSTER, STREAMS.NODEPOOL],
  configSchema: HealthArbiterConfigSchema,
  defaults: { grpcPort: 50054, metricsPort: 9464 },
  access: HEALTH_ACCESS,
};
