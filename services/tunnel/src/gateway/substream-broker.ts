import * as grpc from '@grpc/grpc-js';
import type { Logger } from '@edgeplane/observability';
import { toPodStreamMessage, type PodStreamRequest } from '@edgeplane/k8s/pod-stream';
import type { NewId } from '../tokens.js';
import { ServerCallEndpoint, splice, type ChunkEndpoint, type ServerChunkCall } from './chunk-endpoint.js';
import type { ControlSession } from './control.session.js';
import { gatewayMetrics } from './gateway.metrics.js';
import { identifyNode } from './node-identity.js';
import type { SessionEvents, TunnelGateway } from './tunnel-gateway.js';

export type SubstreamKind = 'proxy' | 'relay' | 'pod-logs' | 'pod-exec';
export const SUBSTREAM_KINDS: readonly SubstreamKind[] = ['proxy', 'relay', 'pod-logs', 'pod-exec'];

/** Where a sub-stream must go. `hops` counts replica-to-replica forwards (at most one). */
export interface OpenRequest {
  clusterId: string;
  node: string;
  kind: SubstreamKind;
  target: string;
  origin: string;
  hops: number;
  /** pod-logs / pod-exec: which pod and what (checked: edge/src/tunnel/pod-stream.ts) */
  pod?: PodStreamRequest;
}

export class OpenError extends Error {
  constructor(
    readonly code: grpc.status,
    message: string,
  ) {
    super(message);
  }
}

/** Reaches a node held by another replica (TunnelPeerService.Forward); set when routing is on. */
export interface Forwarder {
  forward(request: OpenRequest): Promise<ChunkEndpoint>;
}

interface Pending {
  key: string;
  resolve(endpoint: ServerCallEndpoint): void;
  reject(error: OpenError): void;
}

const PROTO_KIND = {
  proxy: 'STREAM_KIND_PROXY',
  relay: 'STREAM_KIND_RELAY',
  'pod-logs': 'STREAM_KIND_POD_LOGS',
  'pod-exec': 'STREAM_KIND_POD_EXEC',
} as const;
export const STREAM_ID_KEY = 'x-edgeplane-stream-id';
export const TARGET_KEY = 'x-edgeplane-target';
export const TARGET_NODE_KEY = 'x-edgeplane-target-node';

/**
 * Sub-streams: one gRPC call each, on the HTTP/2 connection of the node's control stream, so each
 * has its own flow-control window (a stalled reader stalls only its own stream). To reach a node
 * the gateway sends OpenStream{stream_id} down the node's control stream; the agent dials the
 * target and answers with a Stream call carrying that id; the two calls are spliced with
 * back-pressure on both. A node this replica does not hold is reached through the Forwarder.
 */
export class SubstreamBroker implements SessionEvents {
  private readonly pending = new Map<string, Pending>();
  forwarder?: Forwarder;

  constructor(
    private readonly gateway: TunnelGateway,
    private readonly options: { openTimeoutMs: number; newId: NewId; logger: Logger },
  ) {
    gateway.subscribe(this);
  }

  /** The node's end of a new sub-stream: opened here, or forwarded to the replica holding the node. */
  async open(request: OpenRequest): Promise<ChunkEndpoint> {
    const cluster = this.gateway.directory.cluster(request.clusterId);
    if (!cluster || cluster.deleted)
      throw new OpenError(grpc.status.NOT_FOUND, `cluster ${request.clusterId} not found`);
    const node = this.gateway.directory.node(request.clusterId, request.node);
    if (!node?.present) throw new OpenError(grpc.status.NOT_FOUND, `node ${request.node} not found`);
    if (request.kind === 'relay' && !cluster.remoteLogin) {
      throw new OpenError(grpc.status.FAILED_PRECONDITION, `remote login is off for cluster ${cluster.name}`);
    }
    if (request.kind === 'pod-logs' || request.kind === 'pod-exec') {
      // only a pod the node is told to run (the agent checks it again against what it runs)
      const pod = request.pod;
      if (!pod) throw new OpenError(grpc.status.INVALID_ARGUMENT, 'the pod request is missing');
      const assigned = await this.gateway.nodePods(request.clusterId, request.node);
      if (!assigned?.pods.some((p) => p.namespace === pod.namespace && p.name === pod.name))
        throw new OpenError(
          grpc.status.NOT_FOUND,
          `pod ${pod.namespace}/${pod.name} is not assigned to node ${request.node}`,
        );
    }
    const session = this.gateway.session(request.clusterId, request.node);
    if (!session) {
      if (this.forwarder && request.hops === 0) return this.forwarder.forward(request);
      throw new OpenError(grpc.status.UNAVAILABLE, `node ${request.node} is not connected`);
    }
    return this.openLocal(session, request);
  }

  private openLocal(session: ControlSession, request: OpenRequest): Promise<ServerCallEndpoint> {
    const streamId = this.options.newId();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(streamId);
        reject(
          new OpenError(
            grpc.status.DEADLINE_EXCEEDED,
            `node ${request.node} did not answer within ${this.options.openTimeoutMs} ms`,
          ),
        );
      }, this.options.openTimeoutMs);
      this.pending.set(streamId, {
        key: session.key,
        resolve: (endpoint) => {
          clearTimeout(timer);
          resolve(endpoint);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      const sent = session.openStream({
        streamId,
        kind: PROTO_KIND[request.kind],
        target: request.target,
        origin: request.origin,
        ...(request.pod ? { pod: toPodStreamMessage(request.pod) } : {}),
      });
      if (!sent)
        this.settle(
          streamId,
          new OpenError(grpc.status.UNAVAILABLE, `node ${request.node} is not connected`),
        );
    });
  }

  /** TunnelService.Stream: an agent answering an OpenStream, or its proxy asking for another site. */
  acceptStream(call: ServerChunkCall): void {
    const who = identifyNode(call.getAuthContext()?.sslPeerCertificate, this.gateway.directory);
    if (!who.ok) {
      gatewayMetrics.droppedFrames.inc({ reason: 'bad-identity' });
      this.options.logger.warn({ peer: call.getPeer(), reason: who.reason }, 'sub-stream refused');
      return void call.emit('error', { code: grpc.status.UNAUTHENTICATED, details: who.reason });
    }
    const { identity } = who;
    const first = (key: string) => {
      const v = call.metadata.get(key)[0];
      return typeof v === 'string' && v.length <= 512 ? v : undefined;
    };
    const streamId = first(STREAM_ID_KEY);
    if (streamId) {
      const pending = this.pending.get(streamId);
      if (!pending)
        return void call.emit('error', { code: grpc.status.NOT_FOUND, details: 'no such sub-stream' });
      if (pending.key !== `${identity.clusterId}/${identity.nodeName}`) {
        gatewayMetrics.droppedFrames.inc({ reason: 'claims-other-node' });
        return void call.emit('error', {
          code: grpc.status.PERMISSION_DENIED,
          details: 'this sub-stream is not yours',
        });
      }
      this.pending.delete(streamId);
      return pending.resolve(new ServerCallEndpoint(call));
    }
    const target = first(TARGET_KEY);
    if (!target)
      return void call.emit('error', {
        code: grpc.status.INVALID_ARGUMENT,
        details: `${STREAM_ID_KEY} or ${TARGET_KEY} is required`,
      });
    const index = this.gateway.directory.peerIndex(identity.clusterId);
    const named = first(TARGET_NODE_KEY);
    const port = /:(\d{1,5})$/.exec(target)?.[1];
    const host = target.slice(0, target.length - (port?.length ?? 0) - 1);
    const node = named ? this.gateway.directory.node(identity.clusterId, named) : index?.nodeByHost(host);
    if (!port || !node?.present || node.name === identity.nodeName) {
      return void call.emit('error', {
        code: grpc.status.NOT_FOUND,
        details: `no other node of the cluster is reached at ${target}`,
      });
    }
    // a node name as host means "that node's own address"
    const dial = host === node.name && node.ips[0] ? `${node.ips[0]}:${port}` : target;
    void this.connect(new ServerCallEndpoint(call), call, {
      clusterId: identity.clusterId,
      node: node.name,
      kind: 'proxy',
      target: dial,
      origin: identity.nodeName,
      hops: 0,
    });
  }

  /**
   * Opens a sub-stream for `request` and splices it to the caller's call (an agent's proxy, an
   * operator's Relay, a peer's Forward). Failure before the splice ends the caller's call with the
   * reason's status. Resolves when the sub-stream is over.
   */
  async connect(caller: ServerCallEndpoint, call: ServerChunkCall, request: OpenRequest): Promise<void> {
    let cancelled = false;
    call.once('cancelled', () => (cancelled = true));
    let remote: ChunkEndpoint;
    try {
      remote = await this.open(request);
    } catch (error) {
      const e =
        error instanceof OpenError ? error : new OpenError(grpc.status.INTERNAL, (error as Error).message);
      gatewayMetrics.substreams.inc({ kind: request.kind, outcome: grpc.status[e.code] ?? 'error' });
      return void caller.abort(e.code, e.message);
    }
    if (cancelled) {
      remote.abort(grpc.status.CANCELLED, 'the caller went away');
      return;
    }
    gatewayMetrics.substreams.inc({ kind: request.kind, outcome: 'OK' });
    gatewayMetrics.openSubstreams.inc();
    caller.ready();
    try {
      await splice(caller, remote, (direction, bytes) =>
        gatewayMetrics.bytes.inc({ direction: direction === 'a-to-b' ? 'to-node' : 'from-node' }, bytes),
      );
    } finally {
      gatewayMetrics.openSubstreams.dec();
    }
  }

  opened(): void {}

  closed(session: ControlSession): void {
    for (const [id, p] of this.pending) {
      if (p.key === session.key)
        this.settle(
          id,
          new OpenError(grpc.status.UNAVAILABLE, `node ${session.identity.nodeName} disconnected`),
        );
    }
  }

  streamFailed(session: ControlSession, streamId: string, code: string, message: string): void {
    const pending = this.pending.get(streamId);
    if (!pending || pending.key !== session.key) return;
    const status = grpc.status[code as keyof typeof grpc.status];
    this.settle(
      streamId,
      new OpenError(typeof status === 'number' ? status : grpc.status.UNAVAILABLE, message),
    );
  }

  private settle(streamId: string, error: OpenError): void {
    const pending = this.pending.get(streamId);
    if (!pending) return;
    this.pending.delete(streamId);
    pending.reject(error);
  }
}
