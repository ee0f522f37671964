import { hostname } from 'node:os';
import type https from 'node:https';
import * as grpc from '@grpc/grpc-js';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Db, EventStore } from '@edgeplane/eventstore';
import type { Bus } from '@edgeplane/messaging';
import type { Logger } from '@edgeplane/observability';
import { BUS, CONFIG, DB, EVENT_STORE, LOGGER, SCHEMA } from '@edgeplane/service-kit';
import { replicaId, type TunnelConfig } from '../config.js';
import { ConnectionHandler } from '../connection/connection.handler.js';
import { GatewayCaHandler, type GatewayKeys } from '../gateway-ca/gateway-ca.handler.js';
import { issueServingCertificate } from '../gateway-ca/gateway-pki.js';
import { ClusterJoinClient } from '../join/cluster-join.client.js';
import { startJoinServer } from '../join/join.http.js';
import { connectedTo } from '../read-model/connections.queries.js';
import { nodePods } from '../read-model/node-pods.queries.js';
import { servicesOfUnits } from '../read-model/unit-services.queries.js';
import { CLOCK, NEW_ID, type Clock, type NewId } from '../tokens.js';
import { Directory } from './directory.js';
import { acceptForward, PEER_SERVER_NAME, PeerForwarder } from './peer-forwarding.js';
import { PodStatusRecorder } from './pod-status.js';
import { RouteTable } from './route-table.js';
import { SignalPublisher } from './signal-publisher.js';
import { SubstreamBroker } from './substream-broker.js';
import { TunnelCertificates } from './tunnel-certificates.js';
import { TunnelGateway } from './tunnel-gateway.js';
import {
  peerService,
  startGrpcServer,
  tunnelService,
  type PeerHandlers,
  type TunnelHandlers,
} from './tunnel.server.js';

/**
 * The tunnel gateway of this replica: gateway CA (made or loaded), the join HTTPS endpoint, the
 * directory of trusted clusters and admitted nodes, and the agents' mTLS tunnel. Started after
 * the service's gRPC server and consumers are up; stopped before them.
 */
@Injectable()
export class GatewayRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly replica: string;
  private keys?: GatewayKeys;
  private joinServer?: https.Server;
  private clusterClient?: ClusterJoinClient;
  private directoryInstance?: Directory;
  private gatewayInstance?: TunnelGateway;
  private brokerInstance?: SubstreamBroker;
  private tunnelServer?: grpc.Server;
  private peerServer?: grpc.Server;
  private routes?: RouteTable;
  private forwarder?: PeerForwarder;
  private podStatus?: PodStatusRecorder;

  constructor(
    @Inject(CONFIG) private readonly config: TunnelConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(NEW_ID) private readonly newId: NewId,
    @Inject(DB) private readonly db: Db,
    @Inject(SCHEMA) private readonly schema: string,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(GatewayCaHandler) private readonly ca: GatewayCaHandler,
    @Inject(ConnectionHandler) private readonly connections: ConnectionHandler,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {
    this.replica = replicaId(config, hostname());
  }

  get gateway(): TunnelGateway {
    if (!this.gatewayInstance) throw new Error('the gateway has not started');
    return this.gatewayInstance;
  }

  get broker(): SubstreamBroker {
    if (!this.brokerInstance) throw new Error('the gateway has not started');
    return this.brokerInstance;
  }

  get directory(): Directory {
    if (!this.directoryInstance) throw new Error('the gateway has not started');
    return this.directoryInstance;
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
      hosts: [...this.config.TUNNEL_PUBLIC_HOSTS, PEER_SERVER_NAME],
      now: this.clock(),
    });

    const directory = new Directory(
      this.db,
      this.schema,
      this.config.DATABASE_URL,
      this.logger,
      this.config.TUNNEL_DEFAULT_PROBE_PORT,
    );
    this.directoryInstance = directory;
    await directory.start();
    await this.forgetPreviousLife();

    const gateway = new TunnelGateway({
      replica: this.replica,
      settings: {
        heartbeatPeriodSeconds: this.config.TUNNEL_HEARTBEAT_SECONDS,
        probePeriodSeconds: this.config.TUNNEL_PROBE_SECONDS,
        probeTimeoutMs: this.config.TUNNEL_PROBE_TIMEOUT_MS,
      },
      defaultProbePort: this.config.TUNNEL_DEFAULT_PROBE_PORT,
      directory,
      signals: new SignalPublisher(this.bus.nc),
      connections: this.connections,
      nodePods: (clusterId, node) => nodePods(this.db, this.schema, clusterId, node),
      unitServices: (clusterId, units) => servicesOfUnits(this.db, this.schema, clusterId, units),
      podStatus: (this.podStatus = new PodStatusRecorder(this.store, this.logger)),
      logger: this.logger,
      clock: this.clock,
      newId: this.newId,
    });
    this.gatewayInstance = gateway;
    const broker = new SubstreamBroker(gateway, {
      openTimeoutMs: this.config.TUNNEL_OPEN_TIMEOUT_MS,
      newId: this.newId,
      logger: this.logger,
    });
    this.brokerInstance = broker;

    // node → replica routes in NATS KV, and forwarding to the replica that holds a node
    const peerAddress = this.config.TUNNEL_PEER_ADVERTISE ?? `127.0.0.1:${this.config.TUNNEL_PEER_PORT}`;
    const routes = await RouteTable.open(
      this.bus.nc,
      { replica: this.replica, peer: peerAddress },
      this.config.TUNNEL_ROUTE_TTL_SECONDS * 1000,
      this.logger,
    );
    this.routes = routes;
    gateway.subscribe({
      opened: (s) => routes.claim(s.identity.clusterId, s.identity.nodeName, s.sessionId),
      closed: (s) => routes.release(s.identity.clusterId, s.identity.nodeName, s.sessionId),
      streamFailed: () => undefined,
    });
    const peerTls = { caPem: keys.ca.certPem, keyPem: keys.servingKeyPem, certPem: servingCertPem };
    this.forwarder = new PeerForwarder(routes, peerTls, this.config.TUNNEL_OPEN_TIMEOUT_MS);
    broker.forwarder = this.forwarder;
    const peer = await startGrpcServer(
      `${this.config.TUNNEL_HOST}:${this.config.TUNNEL_PEER_PORT}`,
      grpc.ServerCredentials.createSsl(
        Buffer.from(keys.ca.certPem),
        [{ private_key: Buffer.from(keys.servingKeyPem), cert_chain: Buffer.from(servingCertPem) }],
        true,
      ),
      (server) => {
        const handlers: PeerHandlers = { Forward: (call) => acceptForward(call, broker) };
        server.addService(peerService(), handlers);
      },
    );
    this.peerServer = peer.server;

    const certificates = new TunnelCertificates(
      { certificate: Buffer.from(servingCertPem), privateKey: Buffer.from(keys.servingKeyPem) },
      keys.ca.certPem,
    );
    certificates.setTrustedCas(directory.trustedCas());
    directory.onChange((change) => {
      if (change.trustChanged) certificates.setTrustedCas(directory.trustedCas());
    });
    const tunnel = await startGrpcServer(
      `${this.config.TUNNEL_HOST}:${this.config.TUNNEL_PORT}`,
      grpc.experimental.createCertificateProviderServerCredentials(certificates, certificates, true),
      (server) => {
        const handlers: TunnelHandlers = {
          Control: (call) => gateway.acceptControl(call),
          Stream: (call) => broker.acceptStream(call),
        };
        server.addService(tunnelService(), handlers);
      },
    );
    this.tunnelServer = tunnel.server;

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
      {
        replica: this.replica,
        join: this.config.TUNNEL_JOIN_PORT,
        tunnel: tunnel.port,
        peer: peerAddress,
        caHash: keys.caHash,
      },
      'tunnel gateway started',
    );
  }

  /**
   * Sessions the log still says this replica holds belong to its previous life (it died without
   * recording them closed): record them disconnected. They are queued before any new session, and
   * the replica does not wait for them to be written: a node that reconnects first is recorded as
   * replacing its stale session, and the stale session's late close then records nothing.
   */
  private async forgetPreviousLife(): Promise<void> {
    const stale = await connectedTo(this.db, this.schema, this.replica);
    const at = this.clock().toISOString();
    for (const s of stale) {
      this.connections.record({
        type: 'RecordDisconnected',
        clusterId: s.cluster_id,
        nodeName: s.node,
        sessionId: s.session_id,
        reason: 'gateway-restart',
        at,
      });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.gatewayInstance?.shutdown();
    await this.podStatus?.settled();
    await this.routes?.close();
    this.tunnelServer?.forceShutdown();
    this.peerServer?.forceShutdown();
    this.forwarder?.close();
    const join = this.joinServer;
    if (join) {
      join.closeAllConnections();
      await new Promise<void>((resolve) => join.close(() => resolve()));
    }
    this.clusterClient?.close();
    await this.directoryInstance?.stop();
  }
}
