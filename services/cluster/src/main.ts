import { runService } from '@edgeplane/service-kit';
import { ClusterConfigSchema } from './config.js';
import { clusterServiceDefinition } from './service.js';

// CLUSTER_SCHEMA picks the schema; the service kit's SERVICE_SCHEMA, when set, overrides it.
const schema = ClusterConfigSchema.shape.CLUSTER_SCHEMA.parse(process.env.CLUSTER_SCHEMA);
runService(clusterServiceDefinition({ schema }));
