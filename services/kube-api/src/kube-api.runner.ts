import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Bus } from '@edgeplane/messaging';
import type { Logger } from '@edgeplane/observability';
import { BUS, CONFIG, LOGGER } from '@edgeplane/service-kit';
import type { KubeApiConfig } from './config.js';
import { KubeApiServer } from './http/kube-api.server.js';
import { RESOURCES } from './resources/routing-table.js';
import { PlatformVerifier } from './auth/platform.js';
import { TokenSigner } from './auth/tokens.js';
import { loadServingTls } from './tls/serving-pki.js';
import { Upstream } from './upstream/upstream.js';
import { ClusterStream } from './watch/stream-watch.js';

/** Starts the HTTPS API once the service's bus is up, and closes it (watches first) on stop. */
@Injectable()
export class KubeApiRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: KubeApiServer;
  private upstream?: Upstream;
  port?: number;

  constructor(
    @Inject(CONFIG) private readonly config: KubeApiConfig,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const c = this.config;
    const tls = await loadServingTls(c.KUBE_API_PKI_DIR, c.KUBE_API_PUBLIC_HOSTS);
    this.upstream = new Upstream(
      c.KUBE_API_CLUSTER_ADDR,
      c.KUBE_API_NODEPOOL_ADDR,
      c.KUBE_API_GRID_ADDR,
      c.KUBE_API_HEALTH_ADDR,
    );
    this.server = new KubeApiServer({
      host: c.KUBE_API_HOST,
      port: c.KUBE_API_PORT,
      tls,
      upstream: this.upstream,
      stream: new ClusterStream(this.bus),
      resources: RESOURCES,
      logger: this.logger,
      cacheMs: c.KUBE_API_CACHE_SECONDS * 1000,
      maxWatchSeconds: c.KUBE_API_MAX_WATCH_SECONDS,
      maxWatches: c.KUBE_API_MAX_WATCHES,
      tokens: await TokenSigner.load(c.KUBE_API_PKI_DIR),
      tunnelAddr: c.KUBE_API_TUNNEL_ADDR,
      platform: new PlatformVerifier(), // the platform CA of EDGEPLANE_PKI_DIR / .edgeplane/pki
    });
    this.port = await this.server.listen();
    this.logger.info(
      { port: this.port, host: c.KUBE_API_HOST, pki: c.KUBE_API_PKI_DIR },
      'Kubernetes API listening (https, /k8s/clusters/<clusterId>)',
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
    this.upstream?.close();
  }
}
