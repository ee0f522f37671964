import { BaseConfigSchema } from '@edgeplane/service-kit';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const list = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string()).min(1));

/** Env of the kube-api service, parsed once at start (on top of the base keys every service reads). */
export const KubeApiConfigSchema = BaseConfigSchema.extend({
  /** The Kubernetes API port (HTTPS); clusters are under /k8s/clusters/<clusterId>. */
  KUBE_API_PORT: port.default(6443),
  KUBE_API_HOST: z.string().default('127.0.0.1'),
  /**
   * Where the serving CA and key live (created on first start): `serving-ca.crt` is the file the
   * cluster service adds to the kubeconfigs it issues (CLUSTER_APISERVER_CA_FILE).
   */
  KUBE_API_PKI_DIR: z.string().default('.edgeplane/kube-api'),
  /** Names and addresses in the serving certificate (kubectl verifies the one it dials). */
  KUBE_API_PUBLIC_HOSTS: list.default(['127.0.0.1', 'localhost']),
  /** The cluster service (nodes, credentials) and the nodepool service (units, groups). */
  KUBE_API_CLUSTER_ADDR: z.string().default('127.0.0.1:50051'),
  KUBE_API_NODEPOOL_ADDR: z.string().default('127.0.0.1:50052'),
  /** The grid service (DeploymentGrid/StatefulSetGrid/ServiceGrid, pods). */
  KUBE_API_GRID_ADDR: z.string().default('127.0.0.1:50053'),
  /** The health arbiter (health.edgeplane.io NodeHealths: ListVerdicts, ExplainNode). */
  KUBE_API_HEALTH_ADDR: z.string().default('127.0.0.1:50054'),
  /** The tunnel service (RemoteAccessService: pods/log and pods/exec reach the node through it). */
  KUBE_API_TUNNEL_ADDR: z.string().default('127.0.0.1:50055'),
  /** How long a verified client certificate and a cluster's facts are trusted without asking again. */
  KUBE_API_CACHE_SECONDS: z.coerce.number().int().min(0).max(600).default(30),
  /** Longest watch before the server ends it (kubectl re-watches from the last resourceVersion). */
  KUBE_API_MAX_WATCH_SECONDS: z.coerce.number().int().min(5).max(3600).default(1800),
  /** Concurrent watches per process (each holds one ordered JetStream consumer). */
  KUBE_API_MAX_WATCHES: z.coerce.number().int().min(1).max(100_000).default(1000),
});
export type KubeApiConfig = z.infer<typeof KubeApiConfigSchema>;
