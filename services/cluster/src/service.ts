import { STREAMS } from '@edgeplane/contracts';
import { protoFilesOf } from '@edgeplane/proto';
import type { ServiceDefinition } from '@edgeplane/service-kit';
import { clusterAppModule, type ClusterModuleOptions } from './app.module.js';
import { ClusterConfigSchema, type ClusterConfig } from './config.js';
import { clusterMigrations } from './db/migrations.js';
import { clusterProjections } from './projections/projections.js';

/**
 * The cluster service: clusters, access, credentials, join tokens, node registry and lifecycle.
 * `schema` defaults to `cluster`; tests and side-by-side instances pass their own (or SERVICE_SCHEMA).
 */
export function clusterServiceDefinition(
  options: ClusterModuleOptions & { schema?: string } = {},
): ServiceDefinition<ClusterConfig> {
  return {
    name: 'cluster',
    schema: options.schema ?? 'cluster',
    module: clusterAppModule(options),
    grpcPackages: ['edgeplane.cluster.v1'],
    protoFiles: protoFilesOf('cluster'),
    migrations: clusterMigrations,
    projections: clusterProjections,
    streams: [STREAMS.CLUSTER, STREAMS.NODEPOOL, STREAMS.HEALTH],
    configSchema: ClusterConfigSchema,
    defaults: { grpcPort: 50051, metricsPort: 9461 },
  };
}

export const clusterService = clusterServiceDefinition();
