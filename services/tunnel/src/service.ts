import { STREAMS } from '@edgeplane/contracts';
import { protoFilesOf } from '@edgeplane/proto';
import type { ServiceDefinition } from '@edgeplane/service-kit';
import { TUNNEL_ACCESS } from './access.js';
import { AppModule } from './app.module.js';
import { TunnelConfigSchema, type TunnelConfig } from './config.js';
import { tunnelMigrations } from './db/migrations.js';
import { connectionsProjection } from './projections/connections.projection.js';

/**
 * The tunnel service: the gateway edge agents dial out to (docs/tunnel.md). `schema` defaults to
 * `tunnel`; side-by-side instances (tests) set SERVICE_SCHEMA, replicas of one deployment share it.
 */
export const tunnelService: ServiceDefinition<TunnelConfig> = {
  name: 'tunnel',
  schema: 'tunnel',
  module: AppModule,
  grpcPackages: ['edgeplane.tunnel.v1'],
  protoFiles: protoFilesOf('tunnel'),
  migrations: tunnelMigrations,
  projections: (schema) => [connectionsProjection(schema)],
  streams: [STREAMS.TUNNEL, STREAMS.CLUSTER, STREAMS.NODEPOOL, STREAMS.HEALTH, STREAMS.GRID, STREAMS.SIGNALS],
  configSchema: TunnelConfigSchema,
  defaults: { grpcPort: 50055, metricsPort: 9465 },
  access: TUNNEL_ACCESS,
};
