import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import type { Tunnel, TunnelClient } from '../tunnel/protocol.js';
import type { AgentConfig } from './config.js';
import { DesiredStateCache, writeJsonAtomic, type DesiredState } from './desired-state.js';
import { ServiceDirectory, servicesFromTunnel } from './discovery.js';
import type { AgentLogger } from './logger.js';
import { podsFromTunnel } from './pods.js';
import { probeRound, startProbeListener } from './prober.js';
import { startProxy } from './proxy.js';
import { startStatusServer } from './status-server.js';
import { serveOpenStream } from './substreams.js';
import { TunnelConnection } from './tunnel-connection.js';
import { Workloads } from './workloads.js';

export const AGENT_VERSION = '0.1.0';

const DEFAULT_SETTINGS: DesiredState['settings'] = {
  heartbeatPeriodSeconds: 10,
  probePeriodSeconds: 10,
  probeTimeoutMs: 2000,
};

/**
 * The edge agent (docs/tunnel.md "Agent"): keeps the node's tunnel up, heartbeats, probes its
 * peers and reports each round, and keeps doing what it was last told (the on-disk desired state)
 * while the cloud is away. No Nest, no database, and — to stay within 60 MB on small hosts — only
 * Node's own modules (the tunnel speaks gRPC over node:http2 with a hand-written codec).
 */
export class Agent {
  private readonly cache: DesiredStateCache;
  private readonly connection: TunnelConnection;
  private readonly workloads: Workloads;
  private desired?: DesiredState;
  /** ServiceGrid names of this node's unit, as the desired state being served says */
  private readonly services = new ServiceDirectory();
  private source: 'none' | 'cache' | 'cloud' = 'none';
  private settings = DEFAULT_SETTINGS;
  private seq = 0;
  private heartbeatTimer?: NodeJS.Timeout;
  private probeTimer?: NodeJS.Timeout;
  private probing = false;
  private lastProbe: { at: string; results: Tunnel.ProbeResult[] } | undefined;
  private welcome?: { replica: string; since: string };
  private servers: { close(callback: () => void): unknown }[] = [];
  private stopped = false;
  readonly ips: string[];

  constructor(
    readonly config: AgentConfig,
    private readonly logger: AgentLogger,
  ) {
    this.ips = config.ips ?? localAddresses();
    this.cache = new DesiredStateCache(config.paths.stateDir, config);
    this.connection = new TunnelConnection(
      {
        address: config.tunnelAddress,
        serverName: config.serverName,
        credentials: () => ({
          gatewayCaPem: readFileSync(config.paths.gatewayCa, 'utf8'),
          keyPem: readFileSync(config.paths.key, 'utf8'),
          certPem: readFileSync(config.paths.cert, 'utf8'),
        }),
        reconnect: config.reconnect,
        logger,
      },
      {
        hello: () => ({
          nodeName: config.nodeName,
          agentVersion: AGENT_VERSION,
          ips: this.ips,
          probePort: config.listen.probePort,
          desiredVersion: this.desired?.version ?? '',
          proxyPort: config.listen.proxyPort,
        }),
        welcomed: (w) => this.onWelcome(w),
        desired: (d) => this.onDesired(d),
        openStream: (open, client) => this.onOpenStream(open, client),
        disconnected: (reason) => this.onDisconnected(reason),
      },
    );
    this.workloads = new Workloads(
      config,
      logger,
      (report) => this.connection.send({ podStatusReport: report }),
      () => this.desired?.version ?? '',
    );
  }

  async start(): Promise<void> {
    writeFileSync(this.config.paths.pid, `${process.pid}\n`);
    const cached = this.cache.load();
    if (cached) {
      this.apply(cached, 'cache');
      this.logger.info(
        { version: cached.version, peers: cached.peers.length, pods: cached.pods.length },
        'serving the cached desired state',
      );
    }
    const { host, probePort, statusPort, proxyPort } = this.config.listen;
    this.servers.push(await startProbeListener(host, probePort));
    if (proxyPort > 0) {
      const local = new Set(['localhost', '127.0.0.1', '::1', ...this.ips, ...this.config.directHosts]);
      this.servers.push(
        await startProxy({
          host,
          port: proxyPort,
          isLocal: (h) => local.has(h),
          client: () => this.connection.activeClient,
          dialFrom: this.config.dialFrom,
          resolveService: (h, p) => this.services.resolve(h, p),
          logger: this.logger,
        }),
      );
    }
    const dnsPort = this.config.listen.dnsPort ?? 0;
    if (dnsPort > 0) {
      // loaded only when asked for: an agent without it never pays for node:dgram
      const { startDnsResponder } = await import('./dns.js');
      this.servers.push(
        await startDnsResponder({ host, port: dnsPort, services: this.services, logger: this.logger }),
      );
    }
    if (statusPort > 0) this.servers.push(await startStatusServer(host, statusPort, () => this.status()));
    this.writeStatus();
    this.connection.start();
    this.scheduleProbes();
    this.logger.info({ tunnel: this.config.tunnelAddress, node: this.config.nodeName }, 'agent started');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.connection.stop();
    await this.workloads.stop();
    await Promise.all(this.servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    rmSync(this.config.paths.pid, { force: true });
    this.welcome = undefined;
    this.writeStatus();
  }

  status() {
    return {
      pid: process.pid,
      clusterId: this.config.clusterId,
      nodeName: this.config.nodeName,
      agentVersion: AGENT_VERSION,
      connected: this.connection.connected,
      replica: this.welcome?.replica ?? null,
      connectedSince: this.welcome?.since ?? null,
      desired: this.desired ? { ...this.desired, source: this.source } : null,
      heartbeatsSent: this.seq,
      lastProbe: this.lastProbe ?? null,
      runtime: this.workloads.driver,
      allocatable: this.workloads.allocatable,
      pods: this.workloads.status().map((p) => ({
        name: p.name,
        namespace: p.namespace,
        uid: p.uid,
        phase: p.phase,
        ready: p.ready,
        ...(p.reason ? { reason: p.reason } : {}),
      })),
    };
  }

  private onWelcome(welcome: Tunnel.Welcome__Output): void {
    this.welcome = { replica: welcome.replica, since: new Date().toISOString() };
    if (welcome.settings) this.useSettings(settingsOf(welcome.settings));
    this.logger.info({ replica: welcome.replica }, 'tunnel connected');
    this.heartbeat();
    this.sendStatus();
    this.workloads.resend();
    this.writeStatus();
  }

  private onDesired(raw: Tunnel.DesiredState__Output): void {
    const desired: DesiredState = {
      version: raw.version,
      peers: raw.peers.map((p) => ({ name: p.name, address: p.address })),
      remoteLogin: raw.remoteLogin,
      settings: raw.settings ? settingsOf(raw.settings) : this.settings,
      generatedAt: raw.generatedAt,
      pods: podsFromTunnel(raw.pods),
      ...(raw.runtime ? { runtime: raw.runtime } : {}),
      services: servicesFromTunnel(raw.services),
    };
    const changed = desired.version !== this.desired?.version;
    this.apply(desired, 'cloud');
    if (changed) {
      try {
        this.cache.save(desired);
      } catch (error) {
        this.logger.error({ err: (error as Error).message }, 'cannot write the desired-state cache');
      }
      this.logger.info(
        {
          version: desired.version,
          peers: desired.peers.length,
          remoteLogin: desired.remoteLogin,
          pods: desired.pods.length,
          services: desired.services.length,
        },
        'desired state applied',
      );
      if (desired.runtime && desired.runtime !== this.workloads.driver)
        this.logger.warn(
          { placedFor: desired.runtime, driver: this.workloads.driver },
          'pods placed for another runtime than this agent runs',
        );
    }
    this.sendStatus();
  }

  private onDisconnected(reason: string): void {
    this.welcome = undefined;
    this.logger.warn({ reason }, 'tunnel lost; serving the last desired state');
    this.writeStatus();
  }

  private onOpenStream(open: Tunnel.OpenStream__Output, client: TunnelClient): void {
    serveOpenStream({
      open,
      client,
      policy: {
        // what the agent applies now: the cloud's word, or its cache while the cloud is away
        remoteLogin: () => this.desired?.remoteLogin === true,
        relayTargets: this.config.relayTargets,
        dialFrom: this.config.dialFrom,
        pods: {
          nodeName: this.config.nodeName,
          find: (namespace, name) => this.workloads.find(namespace, name),
          driver: () => this.workloads.runtimeDriver(),
        },
      },
      fail: (streamId, code, message) => {
        this.logger.info({ streamId, code, message, target: open.target }, 'sub-stream refused');
        this.connection.send({ streamFailed: { streamId, code, message } });
      },
      logger: this.logger,
    });
  }

  private apply(desired: DesiredState, source: 'cache' | 'cloud'): void {
    const podsChanged = !this.desired || this.desired.version !== desired.version;
    this.desired = desired;
    this.source = source;
    this.useSettings(desired.settings);
    if (podsChanged) {
      this.workloads.setDesired(desired.pods);
      this.services.set(desired.services);
    }
  }

  private useSettings(next: DesiredState['settings']): void {
    const heartbeatChanged = next.heartbeatPeriodSeconds !== this.settings.heartbeatPeriodSeconds;
    const probeChanged = next.probePeriodSeconds !== this.settings.probePeriodSeconds;
    this.settings = next;
    if (probeChanged && this.probeTimer) {
      clearTimeout(this.probeTimer);
      this.scheduleProbes();
    }
    if (heartbeatChanged || !this.heartbeatTimer) {
      if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
      this.heartbeatTimer = setInterval(() => this.heartbeat(), next.heartbeatPeriodSeconds * 1000);
    }
  }

  private heartbeat(): void {
    if (!this.connection.connected) return;
    if (
      this.connection.send({
        heartbeat: { nodeName: this.config.nodeName, seq: this.seq, sentAt: new Date().toISOString() },
      })
    )
      this.seq++;
  }

  private sendStatus(): void {
    this.connection.send({
      nodeStatus: {
        nodeName: this.config.nodeName,
        desiredVersion: this.desired?.version ?? '',
        servingCached: this.source === 'cache',
        pods: this.workloads.status().map((p) => ({ namespace: p.namespace, name: p.name, phase: p.phase })),
      },
    });
  }

  /** One probe round every probe period, connected or not (reports go up only while connected). */
  private scheduleProbes(): void {
    if (this.stopped) return;
    this.probeTimer = setTimeout(async () => {
      await this.probe();
      this.scheduleProbes();
    }, this.settings.probePeriodSeconds * 1000);
  }

  private async probe(): Promise<void> {
    const peers = this.desired?.peers ?? [];
    if (this.probing || peers.length === 0) return;
    this.probing = true;
    try {
      const results = await probeRound(peers, this.settings.probeTimeoutMs, this.config.dialFrom);
      this.lastProbe = { at: new Date().toISOString(), results };
      this.connection.send({
        probeReport: { reporter: this.config.nodeName, sentAt: this.lastProbe.at, results },
      });
    } finally {
      this.probing = false;
    }
  }

  private writeStatus(): void {
    try {
      const s = this.status();
      writeJsonAtomic(path.join(this.config.paths.stateDir, 'status.json'), {
        ...s,
        desired: s.desired ? { version: s.desired.version, source: s.desired.source } : null,
        lastProbe: undefined,
        updatedAt: new Date().toISOString(),
      });
    } catch (error) {
      this.logger.error({ err: (error as Error).message }, 'cannot write status.json');
    }
  }
}

function settingsOf(s: Tunnel.AgentSettings__Output): DesiredState['settings'] {
  return {
    heartbeatPeriodSeconds: s.heartbeatPeriodSeconds || DEFAULT_SETTINGS.heartbeatPeriodSeconds,
    probePeriodSeconds: s.probePeriodSeconds || DEFAULT_SETTINGS.probePeriodSeconds,
    probeTimeoutMs: s.probeTimeoutMs || DEFAULT_SETTINGS.probeTimeoutMs,
  };
}

function localAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) if (!a.internal) out.push(a.address);
  return out.slice(0, 16);
}
