import { STREAMS } from '@edgeplane/contracts';
import { protoFilesOf } from '@edgeplane/proto';
import type { ServiceDefinition } from '@edgeplane/service-kit';
import { nodepoolAccess } from './read-model/access.js';
import { AppModule } from './app.module.js';
import { NodepoolConfigSchema, type NodepoolConfig } from './config.js';
import { nodepoolMigrations } from './db/migrations.js';
import { nodepoolProjections } from './projections/nodepool.projections.js';

export const nodepoolService: ServiceDefinition<NodepoolConfig> = {
  name: 'nodepool',
  schema: 'nodepool',
  module: AppModule,
  grpcPackages: ['edgeplane.nodepool.v1'],
  protoFiles: protoFilesOf('nodepool'),
  migrations: nodepoolMigrations,
  projections: nodepoolProjections,
  // its own stream + the ones it consumes (cluster node events, health verdicts)
  streams: [STREAMS.NODEPOOL, STREAMS.CLUSTER, STREAMS.HEALTH],
  configSchema: NodepoolConfigSchema,
  defaults: { grpcPort: 50052, metricsPort: 9462 },
  access: nodepoolAccess,
};
