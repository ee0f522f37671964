import * as grpc from '@grpc/grpc-js';
import type { EdgeplaneTunnelV1 } from '@edgeplane/proto';
import {
  ClientCallEndpoint,
  ServerCallEndpoint,
  type ChunkEndpoint,
  type ServerChunkCall,
} from './chunk-endpoint.js';
import {
  decodePodRequest,
  encodePodRequest,
  POD_REQUEST_KEY,
  type PodStreamRequest,
} from '@edgeplane/k8s/pod-stream';
import { gatewayMetrics } from './gateway.metrics.js';
import type { RouteTable } from './route-table.js';
import {
  OpenError,
  SUBSTREAM_KINDS,
  type Forwarder,
  type OpenRequest,
  type SubstreamBroker,
  type SubstreamKind,
} from './substream-broker.js';
import { peerService, type tunnelPackage } from './tunnel.server.js';

/** The name every replica's certificate carries, so replicas verify each other whatever address they use. */
export const PEER_SERVER_NAME = 'edgeplane-gateway';

const MD = {
  cluster: 'x-edgeplane-cluster-id',
  node: 'x-edgeplane-target-node',
  kind: 'x-edgeplane-kind',
  target: 'x-edgeplane-target',
  origin: 'x-edgeplane-origin',
  hops: 'x-edgeplane-hops',
  pod: POD_REQUEST_KEY,
} as const;

/**
 * Reaching a node held by another replica: look its route up in NATS KV and open
 * TunnelPeerService.Forward to the holder's peer port (mutual TLS, both sides presenting a
 * certificate of the gateway CA). The holder opens the sub-stream locally and never forwards
 * again (one hop at most), so a stale route cannot make a loop.
 */
export class PeerForwarder implements Forwarder {
  private readonly clients = new Map<string, EdgeplaneTunnelV1.TunnelPeerServiceClient>();

  constructor(
    private readonly routes: RouteTable,
    private readonly tls: { caPem: string; keyPem: string; certPem: string },
    private readonly openTimeoutMs: number,
  ) {}

  async forward(request: OpenRequest): Promise<ChunkEndpoint> {
    const route = await this.routes.lookup(request.clusterId, request.node).catch(() => undefined);
    if (!route || route.replica === this.routes.replica) {
      throw new OpenError(grpc.status.UNAVAILABLE, `node ${request.node} is not connected`);
    }
    const md = new grpc.Metadata();
    md.set(MD.cluster, request.clusterId);
    md.set(MD.node, request.node);
    md.set(MD.kind, request.kind);
    md.set(MD.target, request.target);
    md.set(MD.origin, request.origin);
    md.set(MD.hops, String(request.hops + 1));
    if (request.pod) md.set(MD.pod, encodePodRequest(request.pod));
    const call = this.client(route.peer).Forward(md);
    const opened = await new Promise<true | grpc.ServiceError>((resolve) => {
      const timer = setTimeout(
        () =>
          resolve(
            Object.assign(new Error('timeout'), {
              code: grpc.status.DEADLINE_EXCEEDED,
              details: `replica ${route.replica} did not answer`,
              metadata: new grpc.Metadata(),
            }) as grpc.ServiceError,
          ),
        this.openTimeoutMs + 1000,
      );
      call.once('metadata', () => {
        clearTimeout(timer);
        resolve(true);
      });
      call.once('error', (e: grpc.ServiceError) => {
        clearTimeout(timer);
        resolve(e);
      });
    });
    if (opened !== true) {
      call.cancel();
      throw new OpenError(opened.code, opened.details || opened.message);
    }
    gatewayMetrics.forwardingHops.inc({ direction: 'out' });
    return new ClientCallEndpoint(call);
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }

  private client(peer: string): EdgeplaneTunnelV1.TunnelPeerServiceClient {
    let client = this.clients.get(peer);
    if (!client) {
      const credentials = grpc.credentials.createSsl(
        Buffer.from(this.tls.caPem),
        Buffer.from(this.tls.keyPem),
        Buffer.from(this.tls.certPem),
      );
      // the generated client class, made from the definition with the hand-written Chunk codec
      const PeerClient = grpc.makeClientConstructor(
        peerService(),
        'TunnelPeerService',
      ) as unknown as ReturnType<typeof tunnelPackage>['TunnelPeerService'];
      client = new PeerClient(peer, credentials, {
        'grpc.ssl_target_name_override': PEER_SERVER_NAME,
        'grpc.keepalive_time_ms': 20_000,
        'grpc.keepalive_timeout_ms': 10_000,
      });
      this.clients.set(peer, client);
    }
    return client;
  }
}

/** TunnelPeerService.Forward on the holder: open the sub-stream locally, splice it to the caller. */
export function acceptForward(call: ServerChunkCall, broker: SubstreamBroker): void {
  const get = (key: string) => {
    const v = call.metadata.get(key)[0];
    return typeof v === 'string' ? v : '';
  };
  const kind = get(MD.kind) as SubstreamKind;
  const hops = Number(get(MD.hops));
  if (!SUBSTREAM_KINDS.includes(kind) || !get(MD.cluster) || !get(MD.node) || hops !== 1) {
    return void call.emit('error', { code: grpc.status.INVALID_ARGUMENT, details: 'malformed forward' });
  }
  let pod: PodStreamRequest | undefined;
  if (kind === 'pod-logs' || kind === 'pod-exec') {
    try {
      pod = decodePodRequest(kind === 'pod-logs' ? 'logs' : 'exec', get(MD.pod));
    } catch (error) {
      return void call.emit('error', {
        code: grpc.status.INVALID_ARGUMENT,
        details: (error as Error).message,
      });
    }
  }
  gatewayMetrics.forwardingHops.inc({ direction: 'in' });
  void broker.connect(new ServerCallEndpoint(call), call, {
    clusterId: get(MD.cluster),
    node: get(MD.node),
    kind,
    target: get(MD.target),
    origin: get(MD.origin),
    hops,
    ...(pod ? { pod } : {}),
  });
}
