import { BaseConfigSchema, checkKekConfig, kekConfigShape } from '@edgeplane/service-kit';
import { z } from 'zod';
import { readFileSync } from 'node:fs';

/** Env of the cluster service, parsed once at start (on top of the base keys every service reads). */
export const ClusterConfigSchema = BaseConfigSchema.extend({
  /**
   * Base URL nodes reach the join API at (the tunnel service's join port, docs/tunnel.md); goes
   * into the join command.
   */
  JOIN_SERVER_URL: z.string().url().default('https://127.0.0.1:50443'),
  /** API server address written into admin kubeconfigs; `{clusterId}` is replaced. */
  CLUSTER_APISERVER_URL: z.string().default('https://127.0.0.1:6443/k8s/clusters/{clusterId}'),
  /**
   * The kube-api service's serving CA (services/kube-api, KUBE_API_PKI_DIR), added to the kubeconfig's
   * certificate-authority-data when the file exists, so kubectl trusts the one-port front door.
   */
  CLUSTER_APISERVER_CA_FILE: z.string().default('.edgeplane/kube-api/serving-ca.crt'),
  /** Host name of the API server on the private (VPC) path, and its VPC address. */
  CLUSTER_PRIVATE_APISERVER_HOST: z.string().default('{clusterId}.apiserver.edgeplane.internal'),
  CLUSTER_PRIVATE_APISERVER_ADDRESS: z.string().default('169.254.0.10'),
  /** The key-encryption key(s) sealing CA/admin keys and install scripts at rest (required). */
  ...kekConfigShape,
}).superRefine(checkKekConfig);
export type ClusterConfig = z.infer<typeof ClusterConfigSchema>;

export function apiServerUrl(config: ClusterConfig, clusterId: string): string {
  return config.CLUSTER_APISERVER_URL.replaceAll('{clusterId}', clusterId);
}

/** The API server's serving CA (PEM) to trust besides the cluster CA; empty when there is none yet. */
export function apiServerTrust(config: ClusterConfig): string {
  try {
    // on a line of its own: PEM blocks glued to the cluster CA's last line do not parse
    return `\n${readFileSync(config.CLUSTER_APISERVER_CA_FILE, 'utf8')}`;
  } catch {
    return '';
  }
}
