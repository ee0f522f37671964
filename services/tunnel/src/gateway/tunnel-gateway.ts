import * as grpc from '@grpc/grpc-js';
import type { DisconnectReason, NodePodsStatusReportedData } from '@edgeplane/contracts';
import type { Logger } from '@edgeplane/observability';
import type { EdgeplaneTunnelV1 } from '@edgeplane/proto';
import type { ConnectionHandler } from '../connection/connection.handler.js';
import type { Clock, NewId } from '../tokens.js';
import { ControlSession, sessionKey, type ControlCall, type SessionHost } from './control.session.js';
import type { AgentSettingsValues } from './desired-state.js';
import type { Directory, DirectoryChange } from './directory.js';
import { HelloSchema } from './frames.js';
import { gatewayMetrics } from './gateway.metrics.js';
import { admitted, identifyNode } from './node-identity.js';
import type { PodStatusRecorder } from './pod-status.js';
import type { SignalPublisher } from './signal-publisher.js';
import type { NodePods } from '../read-model/node-pods.queries.js';
import { hasNamedTargetPorts, serviceEntriesOf, type UnitServiceRow } from './unit-services.js';

const HELLO_TIMEOUT_MS = 10_000;
/** Desired-state pushes for one cluster are coalesced over this long. */
const PUSH_DEBOUNCE_MS = 100;

export interface SessionEvents {
  opened(session: ControlSession): void;
  closed(session: ControlSession, reason: DisconnectReason): void;
  streamFailed(session: ControlSession, streamId: string, code: string, message: string): void;
}

export interface TunnelGatewayOptions {
  replica: string;
  settings: AgentSettingsValues;
  defaultProbePort: number;
  directory: Directory;
  signals: SignalPublisher;
  connections: ConnectionHandler;
  /** reads the pods assigned to a node (proj_tunnel_node_pods) */
  nodePods: (clusterId: string, node: string) => Promise<NodePods | undefined>;
  /** reads the ServiceGrids of units (proj_tunnel_unit_services) */
  unitServices: (clusterId: string, units: readonly string[]) => Promise<UnitServiceRow[]>;
  podStatus: PodStatusRecorder;
  logger: Logger;
  clock: Clock;
  newId: NewId;
}

/**
 * The control streams this replica holds: admits a node by its certificate, one stream per node
 * (a newer one supersedes the older), records NodeConnected/NodeDisconnected, pushes desired
 * state when the directory changes what a node should do, and closes a node's stream within the
 * directory's notification delay when its credential stops being valid (removed node, deleted
 * cluster, replaced credential).
 */
export class TunnelGateway implements SessionHost {
  readonly replica: string;
  readonly settings: AgentSettingsValues;
  readonly defaultProbePort: number;
  readonly directory: Directory;
  readonly signals: SignalPublisher;
  readonly logger: Logger;
  private readonly sessions = new Map<string, ControlSession>();
  private readonly byCluster = new Map<string, Set<ControlSession>>();
  private readonly pushTimers = new Map<string, NodeJS.Timeout>();
  private readonly listeners: SessionEvents[] = [];
  private stopping = false;

  constructor(private readonly options: TunnelGatewayOptions) {
    this.replica = options.replica;
    this.settings = options.settings;
    this.defaultProbePort = options.defaultProbePort;
    this.directory = options.directory;
    this.signals = options.signals;
    this.logger = options.logger;
    this.directory.onChange((change) => this.onDirectoryChange(change));
  }

  subscribe(listener: SessionEvents): void {
    this.listeners.push(listener);
  }

  get connectedCount(): number {
    return this.sessions.size;
  }

  session(clusterId: string, nodeName: string): ControlSession | undefined {
    return this.sessions.get(sessionKey(clusterId, nodeName));
  }

  allSessions(): IterableIterator<ControlSession> {
    return this.sessions.values();
  }

  /** TunnelService.Control: identify by certificate, wait for Hello, then hold the session. */
  acceptControl(call: ControlCall): void {
    if (this.stopping)
      return void call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'gateway stopping' });
    const who = identifyNode(call.getAuthContext()?.sslPeerCertificate, this.directory);
    if (!who.ok) {
      gatewayMetrics.droppedFrames.inc({ reason: 'bad-identity' });
      this.logger.warn({ peer: call.getPeer(), reason: who.reason }, 'control stream refused');
      return void call.emit('error', { code: grpc.status.UNAUTHENTICATED, details: who.reason });
    }
    const identity = who.identity;
    let settled = false;
    const refuse = (code: grpc.status, details: string) => {
      settled = true;
      clearTimeout(timer);
      call.emit('error', { code, details });
    };
    const timer = setTimeout(
      () => refuse(grpc.status.DEADLINE_EXCEEDED, 'no Hello within 10 s'),
      HELLO_TIMEOUT_MS,
    );
    call.on('error', () => clearTimeout(timer));
    call.once('data', (frame: EdgeplaneTunnelV1.AgentFrame__Output) => {
      if (settled) return;
      clearTimeout(timer);
      const hello = frame.frame === 'hello' ? HelloSchema.safeParse(frame.hello) : undefined;
      if (!hello?.success) {
        gatewayMetrics.droppedFrames.inc({ reason: 'invalid-frame' });
        return refuse(grpc.status.INVALID_ARGUMENT, 'the first frame must be a valid Hello');
      }
      if (hello.data.nodeName && hello.data.nodeName !== identity.nodeName) {
        gatewayMetrics.droppedFrames.inc({ reason: 'claims-other-node' });
        this.logger.warn(
          { node: identity.nodeName, claimed: hello.data.nodeName, clusterId: identity.clusterId },
          'control stream claiming another node refused',
        );
        return refuse(
          grpc.status.PERMISSION_DENIED,
          `this certificate is node ${identity.nodeName}'s; it cannot speak for ${hello.data.nodeName}`,
        );
      }
      settled = true;
      this.open(call, identity, hello.data);
    });
  }

  private open(
    call: ControlCall,
    identity: ControlSession['identity'],
    hello: ControlSession['hello'],
  ): void {
    const session = new ControlSession(this, call, identity, this.options.newId(), hello);
    const previous = this.sessions.get(session.key);
    this.sessions.set(session.key, session);
    let set = this.byCluster.get(identity.clusterId);
    if (!set) this.byCluster.set(identity.clusterId, (set = new Set()));
    set.add(session);
    gatewayMetrics.connectedNodes.set(this.sessions.size);
    previous?.close(grpc.status.ABORTED, 'superseded by a newer stream of the same node', 'superseded');
    this.options.connections.record({
      type: 'RecordConnected',
      clusterId: identity.clusterId,
      nodeName: identity.nodeName,
      sessionId: session.sessionId,
      replica: this.replica,
      agentVersion: hello.agentVersion,
      ips: hello.ips,
      probePort: hello.probePort || this.defaultProbePort,
      at: this.options.clock().toISOString(),
    });
    session.start();
    for (const l of this.listeners) l.opened(session);
    this.logger.debug({ node: identity.nodeName, clusterId: identity.clusterId }, 'node connected');
  }

  ended(session: ControlSession, reason: DisconnectReason): void {
    if (this.sessions.get(session.key) === session) this.sessions.delete(session.key);
    this.byCluster.get(session.identity.clusterId)?.delete(session);
    gatewayMetrics.connectedNodes.set(this.sessions.size);
    this.options.connections.record({
      type: 'RecordDisconnected',
      clusterId: session.identity.clusterId,
      nodeName: session.identity.nodeName,
      sessionId: session.sessionId,
      reason,
      at: this.options.clock().toISOString(),
    });
    for (const l of this.listeners) l.closed(session, reason);
  }

  nodePods(clusterId: string, node: string): Promise<NodePods | undefined> {
    return this.options.nodePods(clusterId, node);
  }

  async unitServices(
    clusterId: string,
    units: readonly string[],
  ): Promise<EdgeplaneTunnelV1.ServiceEntry__Output[]> {
    const rows = await this.options.unitServices(clusterId, units);
    const nodes = this.options.directory.nodesOf(clusterId);
    // named targetPorts: the container ports of the endpoints' pods, as their nodes were told to run them
    const pods = new Map<string, Map<string, EdgeplaneTunnelV1.PodSpec__Output>>();
    if (hasNamedTargetPorts(rows)) {
      const endpointNodes = new Set(rows.flatMap((r) => r.endpoints.map((e) => e.node)));
      for (const node of [...endpointNodes].slice(0, 64)) {
        const assigned = await this.options.nodePods(clusterId, node);
        pods.set(node, new Map((assigned?.pods ?? []).map((p) => [p.name, p])));
      }
    }
    const containerPort = (node: string, pod: string, name: string) =>
      pods
        .get(node)
        ?.get(pod)
        ?.containers.flatMap((c) => c.ports)
        .find((p) => p.name === name)?.containerPort;
    return serviceEntriesOf(rows, (node) => nodes.get(node)?.ips[0], containerPort);
  }

  podStatusChanged(_session: ControlSession, data: NodePodsStatusReportedData): void {
    void this.options.podStatus.record(data);
  }

  streamFailed(session: ControlSession, streamId: string, code: string, message: string): void {
    for (const l of this.listeners) l.streamFailed(session, streamId, code, message);
  }

  /** Revocation first (at once), then the desired state of the cluster's nodes (coalesced). */
  private onDirectoryChange(change: DirectoryChange): void {
    const sessions = this.byCluster.get(change.clusterId);
    if (!sessions || sessions.size === 0) return;
    const affected = change.nodes
      ? change.nodes
          .map((n) => this.sessions.get(sessionKey(change.clusterId, n)))
          .filter((s) => s !== undefined)
      : [...sessions];
    for (const session of affected) {
      const still = admitted(session.identity, this.directory);
      if (!still.ok) {
        this.logger.info(
          { node: session.identity.nodeName, clusterId: session.identity.clusterId, reason: still.reason },
          'closing a revoked node stream',
        );
        session.close(grpc.status.UNAUTHENTICATED, `credential revoked: ${still.reason}`, 'revoked');
      }
    }
    if (this.pushTimers.has(change.clusterId)) return;
    this.pushTimers.set(
      change.clusterId,
      setTimeout(() => {
        this.pushTimers.delete(change.clusterId);
        for (const s of this.byCluster.get(change.clusterId) ?? []) s.pushDesiredState();
      }, PUSH_DEBOUNCE_MS),
    );
  }

  /** Closes every stream (agents reconnect to another replica or to this one restarted). */
  async shutdown(): Promise<void> {
    this.stopping = true;
    for (const timer of this.pushTimers.values()) clearTimeout(timer);
    for (const session of [...this.sessions.values()]) {
      session.close(grpc.status.UNAVAILABLE, 'gateway shutting down', 'gateway-shutdown');
    }
    await this.options.connections.settled();
  }
}
