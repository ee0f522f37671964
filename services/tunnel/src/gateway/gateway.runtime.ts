import { hostname } from 'node:os';
import type https from 'node:https';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from '@edgeplane/observability';
import { CONFIG, LOGGER } from '@edgeplane/service-kit';
import { replicaId, type TunnelConfig } from '../config.js';
import { GatewayCaHandler, type GatewayKeys } from '../gateway-ca/gateway-ca.handler.js';
import { issueServingCertificate } from '../gateway-ca/gateway-pki.js';
import { ClusterJoinClient } from '../join/cluster-join.client.js';
import { startJoinServer } from '../join/join.http.js';
import { CLOCK, type Clock } from '../tokens.js';

/**
 * The tunnel gateway of this replica: gateway CA (made or loaded), the join HTTPS endpoint, the
 * agents' mTLS tunnel, replica-to-replica forwarding. Started after the service's gRPC server and
 * consumers; stopped before them.
 */
@Injectable()
export class GatewayRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly replica: string;
  private keys?: GatewayKeys;
  private joinServer?: https.Server;
  private clusterClient?: ClusterJoinClient;

  constructor(
    @Inject(CONFIG) private readonly config: TunnelConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(GatewayCaHandler) private readonly ca: GatewayCaHandler,
  ) {
    this.replica = replicaId(config, hostname());
  }

  /** The gateway CA and serving key (available once the runtime has started). */
  get gatewayKeys(): GatewayKeys {
    if (!this.keys) throw new Error('the gateway has not started');
    return this.keys;
  }

  get tunnelAddress(): string {
    return this.config.TUNNEL_PUBLIC_ADDRESS ?? `127.0.0.1:${this.config.TUNNEL_PORT}`;
  }

  async onApplicationBootstrap(): Promise<void> {
    const keys = await this.ca.ensure();
    this.keys = keys;
    const servingCertPem = await issueServingCertificate({
      ca: keys.ca,
      servingKeyPem: keys.servingKeyPem,
      hosts: this.config.TUNNEL_PUBLIC_HOSTS,
      now: this.clock(),
    });
    const clusterClient = new ClusterJoinClient(this.config.TUNNEL_CLUSTER_ADDR);
    this.clusterClient = clusterClient;
    this.joinServer = await startJoinServer({
      host: this.config.TUNNEL_HOST,
      port: this.config.TUNNEL_JOIN_PORT,
      certPem: servingCertPem,
      keyPem: keys.servingKeyPem,
      caCertPem: keys.ca.certPem,
      edgectlPath: this.config.TUNNEL_EDGECTL_PATH,
      agentPath: this.config.TUNNEL_AGENT_PATH,
      tunnelAddress: this.tunnelAddress,
      redeem: (request) => clusterClient.redeem(request),
      logger: this.logger,
    });
    this.logger.info(
      { replica: this.replica, join: this.config.TUNNEL_JOIN_PORT, caHash: keys.caHash },
      'tunnel gateway started',
    );
  }

  async onApplicationShutdown(): Promise<void> {
    const join = this.joinServer;
    if (join) {
      join.closeAllConnections();
      await new Promise<void>((resolve) => join.close(() => resolve()));
    }
    this.clusterClient?.close();
  }
}
