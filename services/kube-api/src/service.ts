import { STREAMS } from '@edgeplane/contracts';
import type { ServiceDefinition } from '@edgeplane/service-kit';
import { AppModule } from './app.module.js';
import { KubeApiConfigSchema, type KubeApiConfig } from './config.js';

/**
 * The Kubernetes API front door. It owns no data: no migrations (the schema the service kit makes
 * stays empty), no gRPC packages of its own (the port answers grpc.health.v1 only), and reads the
 * cluster stream only to feed watches.
 */
export const kubeApiService: ServiceDefinition<KubeApiConfig> = {
  name: 'kube-api',
  schema: 'kube_api',
  module: AppModule,
  grpcPackages: [],
  protoFiles: [],
  streams: [STREAMS.CLUSTER, STREAMS.NODEPOOL],
  configSchema: KubeApiConfigSchema,
  defaults: { grpcPort: 50057, metricsPort: 9467 },
};
