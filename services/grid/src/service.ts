import { STREAMS } from '@edgeplane/contracts';
import { protoFilesOf } from '@edgeplane/proto';
import type { ServiceDefinition } from '@edgeplane/service-kit';
import { GRID_ACCESS } from './access.js';
import { AppModule } from './app.module.js';
import { GridConfigSchema, type GridConfig } from './config.js';
import { gridMigrations } from './db/migrations.js';
import { gridProjections } from './projections/grid.projections.js';

export const gridService: ServiceDefinition<GridConfig> = {
  name: 'grid',
  schema: 'grid',
  module: AppModule,
  grpcPackages: ['edgeplane.grid.v1'],
  protoFiles: protoFilesOf('grid'),
  migrations: gridMigrations,
  projections: gridProjections,
  // its own stream + the ones it consumes (cluster nodes, nodepool units/groups, health verdicts,
  // the agents' pod status relayed by the tunnel)
  streams: [STREAMS.GRID, STREAMS.CLUSTER, STREAMS.NODEPOOL, STREAMS.HEALTH, STREAMS.TUNNEL],
  configSchema: GridConfigSchema,
  defaults: { grpcPort: 50053, metricsPort: 9463 },
  access: GRID_ACCESS,
};
