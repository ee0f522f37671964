import { BaseConfigSchema } from '@edgeplane/service-kit';
import { z } from 'zod';

/** Env of the cluster service, parsed once at start (on top of the base keys every service reads). */
export const ClusterConfigSchema = BaseConfigSchema.extend({
  /**
   * Base URL nodes reach the join API at (the tunnel service's join port, docs/tunnel.md); goes
   * into the join command.
   */
  JOIN_SERVER_URL: z.string().url().default('https://127.0.0.1:50443'),
  /** API server address written into admin kubeconfigs; `{clusterId}` is replaced. */
  CLUSTER_APISERVER_URL: z.string().default('https://{clusterId}.apiserver.edgeplane.local:6443'),
  /** Host name of the API server on the private (VPC) path, and its VPC address. */
  CLUSTER_PRIVATE_APISERVER_HOST: z.string().default('{clusterId}.apiserver.edgeplane.internal'),
  CLUSTER_PRIVATE_APISERVER_ADDRESS: z.string().default('169.254.0.10'),
});
export type ClusterConfig = z.infer<typeof ClusterConfigSchema>;

export function apiServerUrl(config: ClusterConfig, clusterId: string): string {
  return config.CLUSTER_APISERVER_URL.replaceAll('{clusterId}', clusterId);
}
