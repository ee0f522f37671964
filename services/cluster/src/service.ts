import { STREAMS } from '@edgeplane/contracts';
import { protoFilesOf } from '@edgeplane/proto';
import type { ServiceDefinition } from '@edgeplane/service-kit';
import { CLUSTER_ACCESS } from './access.js';
import { clusterAppModule, type ClusterModuleOptions } from './app.module.js';
import { ClusterConfigSchema, type ClusterConfig } from './config.js';
import { clusterMigrations } from './db/migrations.js';
import { clustersProjection } from './projections/clusters.projection.js';
import { joinTokensProjection } from './projections/join-tokens.projection.js';
import { nodesProjection } from './projections/nodes.projection.js';

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
    // Inline projections, applied in the append's transaction (a Get right after a Create sees it).
    projections: (schema) => [
      clustersProjection(schema),
      joinTokensProjection(schema),
      nodesProjection(schema),
    ],
    streams: [STREAMS.CLUSTER, STREAMS.NODEPOOL, STREAMS.HEALTH, STREAMS.TUNNEL],
    configSchema: ClusterConfigSchema,
    defaults: { grpcPort: 50051, metricsPort: 9461 },
    access: CLUSTER_ACCESS,
    verifiesCredentials: true,
  };
}

export const clusterService = clusterServiceDefinition();
