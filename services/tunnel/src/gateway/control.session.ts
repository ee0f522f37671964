import * as grpc from '@grpc/grpc-js';
import type { DisconnectReason, NodePodsStatusReportedData } from '@edgeplane/contracts';
import type { Logger } from '@edgeplane/observability';
import { isUndecodableRequest, type EdgeplaneTunnelV1 } from '@edgeplane/proto';
import type { Directory } from './directory.js';
import type { AgentSettingsValues } from './desired-state.js';
import {
  HeartbeatSchema,
  NodeStatusSchema,
  PodStatusReportSchema,
  ProbeReportSchema,
  StreamFailedSchema,
  type Hello,
  type NodeStatus,
} from './frames.js';
import { gatewayMetrics } from './gateway.metrics.js';
import type { NodeIdentity } from './node-identity.js';
import { reportDigest, reportedPods } from './pod-status.js';
import type { NodePods } from '../read-model/node-pods.queries.js';
import type { SignalPublisher } from './signal-publisher.js';

export type ControlCall = grpc.ServerDuplexStream<
  EdgeplaneTunnelV1.AgentFrame__Output,
  EdgeplaneTunnelV1.GatewayFrame
>;

/** What a session needs from the gateway that holds it. */
export interface SessionHost {
  readonly replica: string;
  readonly settings: AgentSettingsValues;
  readonly directory: Directory;
  readonly signals: SignalPublisher;
  readonly logger: Logger;
  /** the pods assigned to the node (read when their digest changes) */
  nodePods(clusterId: string, node: string): Promise<NodePods | undefined>;
  /** the ServiceGrids of the node's units, as its desired state carries them (read when their digest changes) */
  unitServices(clusterId: string, units: readonly string[]): Promise<ServiceEntry[]>;
  /** what the node reports about its pods changed */
  podStatusChanged(session: ControlSession, data: NodePodsStatusReportedData): void;
  /** the agent could not serve an OpenStream */
  streamFailed(session: ControlSession, streamId: string, code: string, message: string): void;
  /** the session ended (once) */
  ended(session: ControlSession, reason: DisconnectReason): void;
}

/**
 * One node's control stream on this replica. The node is who its certificate says (`identity`);
 * frames naming another node are dropped and counted, as are probe results about nodes outside
 * its peer set. Heartbeats and probe reports go to the signal subjects; the desired state goes
 * down whenever its content changes.
 */
export class ControlSession {
  readonly key: string;
  readonly since = new Date();
  status?: NodeStatus;
  private sentVersion = '';
  private closed = false;
  /** the node's pods as last read (by uid), with the digest the directory had for them */
  private pods: { digest: string | null; streamVersion: number; byUid: Map<string, PodSpec> } = {
    digest: null,
    streamVersion: 0,
    byUid: new Map(),
  };
  /** the node's services as last read, with the digest the directory had for them */
  private services: { digest: string | null; entries: ServiceEntry[] } = { digest: null, entries: [] };
  private pushing?: Promise<void>;
  private pushAgain = false;
  private lastReport = '';
  private reports: Promise<void> = Promise.resolve();

  constructor(
    private readonly host: SessionHost,
    private readonly call: ControlCall,
    readonly identity: NodeIdentity,
    readonly sessionId: string,
    readonly hello: Hello,
  ) {
    this.key = sessionKey(identity.clusterId, identity.nodeName);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  start(): void {
    this.call.on('data', (frame: EdgeplaneTunnelV1.AgentFrame__Output) => this.onFrame(frame));
    this.call.on('end', () => this.finish('agent-gone'));
    this.call.on('cancelled', () => this.finish('agent-gone'));
    this.call.on('error', () => this.finish('agent-gone'));
    this.call.on('close', () => this.finish('agent-gone'));
    const settings = toProtoSettings(this.host.settings);
    this.write({
      welcome: {
        nodeName: this.identity.nodeName,
        clusterId: this.identity.clusterId,
        replica: this.host.replica,
        settings,
      },
    });
    this.pushDesiredState();
  }

  /**
   * Sends the node's desired state if it differs from what it was last sent. The node's pods are
   * read from the database only when their digest changed; pushes never overlap (one more runs
   * right after when asked meanwhile), so the agent gets them in order.
   */
  pushDesiredState(): void {
    if (this.closed) return;
    if (this.pushing) {
      this.pushAgain = true;
      return;
    }
    this.pushing = this.push()
      .catch((error: unknown) => {
        this.host.logger.error(
          { node: this.identity.nodeName, clusterId: this.identity.clusterId, err: (error as Error).message },
          'desired state not pushed; retrying in 1 s',
        );
        setTimeout(() => this.pushDesiredState(), 1000).unref();
      })
      .finally(() => {
        this.pushing = undefined;
        if (this.pushAgain) {
          this.pushAgain = false;
          this.pushDesiredState();
        }
      });
  }

  private async push(): Promise<void> {
    const { directory } = this.host;
    const me = directory.node(this.identity.clusterId, this.identity.nodeName);
    const index = directory.peerIndex(this.identity.clusterId);
    if (!me || !index) return;
    const desired = index.desiredStateOf(me, this.host.settings);
    if (desired.version === this.sentVersion) return;
    if (desired.podsDigest !== this.pods.digest) {
      const row =
        desired.podsDigest === null
          ? undefined
          : await this.host.nodePods(this.identity.clusterId, this.identity.nodeName);
      this.pods = {
        digest: desired.podsDigest,
        streamVersion: row?.streamVersion ?? 0,
        byUid: new Map((row?.pods ?? []).map((p) => [p.uid, p])),
      };
      if (this.closed) return;
    }
    if (desired.servicesDigest !== this.services.digest) {
      const entries =
        desired.servicesDigest === null
          ? []
          : await this.host.unitServices(this.identity.clusterId, me.units);
      this.services = { digest: desired.servicesDigest, entries };
      if (this.closed) return;
    }
    this.sentVersion = desired.version;
    this.write({
      desiredState: {
        version: desired.version,
        peers: desired.peers(),
        remoteLogin: desired.remoteLogin,
        settings: toProtoSettings(desired.settings),
        generatedAt: new Date().toISOString(),
        pods: [...this.pods.byUid.values()],
        services: this.services.entries,
      },
    });
  }

  /** Asks the agent to dial a target and answer with a Stream call carrying `streamId`. */
  openStream(frame: EdgeplaneTunnelV1.OpenStream): boolean {
    if (this.closed) return false;
    this.write({ openStream: frame });
    return true;
  }

  /** Ends the stream with a status and records why. */
  close(code: grpc.status, details: string, reason: DisconnectReason): void {
    if (this.closed) return;
    this.finish(reason);
    this.call.emit('error', { code, details });
  }

  private finish(reason: DisconnectReason): void {
    if (this.closed) return;
    this.closed = true;
    gatewayMetrics.sessions.inc({ outcome: reason });
    this.host.ended(this, reason);
  }

  private write(frame: EdgeplaneTunnelV1.GatewayFrame): void {
    if (this.closed) return;
    try {
      this.call.write(frame);
    } catch {
      this.finish('agent-gone');
    }
  }

  private onFrame(frame: EdgeplaneTunnelV1.AgentFrame__Output): void {
    if (this.closed) return;
    if (isUndecodableRequest(frame)) return drop('invalid-frame'); // bytes that are no AgentFrame
    const type = frame.frame ?? 'none';
    gatewayMetrics.frames.inc({ type });
    switch (frame.frame) {
      case 'heartbeat':
        return this.onHeartbeat(frame.heartbeat);
      case 'probeReport':
        return this.onProbeReport(frame.probeReport);
      case 'nodeStatus': {
        const parsed = NodeStatusSchema.safeParse(frame.nodeStatus);
        if (!parsed.success) return drop('invalid-frame');
        if (!this.speaksForItself(parsed.data.nodeName)) return;
        this.status = parsed.data;
        return;
      }
      case 'podStatusReport':
        return this.onPodStatusReport(frame.podStatusReport);
      case 'streamFailed': {
        const parsed = StreamFailedSchema.safeParse(frame.streamFailed);
        if (!parsed.success) return drop('invalid-frame');
        return this.host.streamFailed(this, parsed.data.streamId, parsed.data.code, parsed.data.message);
      }
      default:
        return drop('unexpected-frame');
    }
  }

  private onHeartbeat(raw: unknown): void {
    const parsed = HeartbeatSchema.safeParse(raw);
    if (!parsed.success) return drop('invalid-frame');
    const hb = parsed.data;
    if (!this.speaksForItself(hb.nodeName)) return;
    const me = this.host.directory.node(this.identity.clusterId, this.identity.nodeName);
    this.host.signals.heartbeat({
      v: 1,
      clusterId: this.identity.clusterId,
      node: this.identity.nodeName,
      ...(me && me.units.length > 0 ? { units: [...me.units] } : {}),
      ...(hb.sentAt ? { sentAt: hb.sentAt } : {}),
      seq: hb.seq,
    });
  }

  private onProbeReport(raw: unknown): void {
    const parsed = ProbeReportSchema.safeParse(raw);
    if (!parsed.success) return drop('invalid-frame');
    const report = parsed.data;
    if (!this.speaksForItself(report.reporter)) return;
    const { directory } = this.host;
    const me = directory.node(this.identity.clusterId, this.identity.nodeName);
    const index = directory.peerIndex(this.identity.clusterId);
    const results = [];
    let outside = 0;
    for (const r of report.results) {
      if (me && index?.isPeer(me, r.peer))
        results.push({ peer: r.peer, healthy: r.healthy, ...(r.probedAt ? { probedAt: r.probedAt } : {}) });
      else outside++;
    }
    if (outside > 0) {
      gatewayMetrics.droppedFrames.inc({ reason: 'probe-outside-peer-set' }, outside);
      this.host.logger.warn(
        { node: this.identity.nodeName, clusterId: this.identity.clusterId, dropped: outside },
        'probe results about nodes outside the peer set dropped',
      );
    }
    if (results.length === 0) return;
    this.host.signals.probeReport({
      v: 1,
      clusterId: this.identity.clusterId,
      reporter: this.identity.nodeName,
      ...(report.sentAt ? { sentAt: report.sentAt } : {}),
      results,
    });
  }

  /**
   * Pods the node was not told to run are dropped (counted: pod-not-assigned); what is left goes
   * up as NodePodsStatusReported when it differs from the last report. Handled after any push in
   * flight, so a report right after (re)connecting is checked against the node's current pods.
   */
  private onPodStatusReport(raw: unknown): void {
    const parsed = PodStatusReportSchema.safeParse(raw);
    if (!parsed.success) return drop('invalid-frame');
    const report = parsed.data;
    if (!this.speaksForItself(report.nodeName)) return;
    this.reports = this.reports
      .then(() => this.pushing)
      .then(() => {
        if (this.closed) return;
        const { pods, unassigned } = reportedPods(report, this.pods.byUid);
        if (unassigned.length > 0) {
          gatewayMetrics.droppedFrames.inc({ reason: 'pod-not-assigned' }, unassigned.length);
          this.host.logger.warn(
            {
              node: this.identity.nodeName,
              clusterId: this.identity.clusterId,
              dropped: unassigned.length,
              uids: unassigned.slice(0, 5),
            },
            'status of pods not assigned to the node dropped',
          );
        }
        // a node that runs nothing and was told to run nothing has nothing to say (a reconnect
        // storm of pod-less nodes publishes no events); once it reported pods, an empty report is news
        // (an agent with a runtime also reports its allocatable, pods or not: that is news once)
        const a = report.allocatable;
        const allocatable =
          a && a.cpuMilli > 0 && a.memoryMib > 0
            ? { cpuMilli: a.cpuMilli, memoryBytes: a.memoryMib * 2 ** 20, pods: a.pods || 110 }
            : undefined;
        if (pods.length === 0 && this.pods.byUid.size === 0 && this.lastReport === '' && !allocatable) return;
        const digest = reportDigest(pods, this.pods.streamVersion, allocatable);
        if (digest === this.lastReport) return;
        this.lastReport = digest;
        this.host.podStatusChanged(this, {
          clusterId: this.identity.clusterId,
          node: this.identity.nodeName,
          pods,
          podsStreamVersion: this.pods.streamVersion,
          ...(report.runtime ? { runtime: report.runtime } : {}),
          ...(report.desiredVersion ? { desiredVersion: report.desiredVersion } : {}),
          ...(allocatable ? { allocatable } : {}),
          reportedAt: new Date().toISOString(),
        });
      });
  }

  /** A frame may name its node (or not); naming another is dropped and counted. */
  private speaksForItself(claimed: string): boolean {
    if (!claimed || claimed === this.identity.nodeName) return true;
    drop('claims-other-node');
    this.host.logger.warn(
      { node: this.identity.nodeName, claimed, clusterId: this.identity.clusterId },
      'frame claiming another node dropped',
    );
    return false;
  }
}

type PodSpec = EdgeplaneTunnelV1.PodSpec__Output;
type ServiceEntry = EdgeplaneTunnelV1.ServiceEntry__Output;

export function sessionKey(clusterId: string, nodeName: string): string {
  return `${clusterId}/${nodeName}`;
}

function drop(reason: string): void {
  gatewayMetrics.droppedFrames.inc({ reason });
}

function toProtoSettings(s: AgentSettingsValues): EdgeplaneTunnelV1.AgentSettings {
  return {
    heartbeatPeriodSeconds: s.heartbeatPeriodSeconds,
    probePeriodSeconds: s.probePeriodSeconds,
    probeTimeoutMs: s.probeTimeoutMs,
  };
}
