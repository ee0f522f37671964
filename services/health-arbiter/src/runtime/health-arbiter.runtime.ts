import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  STREAMS,
  signalPartition,
  streamName,
  type NodeVerdictChangedData,
  type Verdict,
  type VerdictRule,
} from '@edgeplane/contracts';
import { NotFoundError } from '@edgeplane/es-kit';
import type { Db } from '@edgeplane/eventstore';
import type { Bus } from '@edgeplane/messaging';
import type { Logger } from '@edgeplane/observability';
import { BUS, CONFIG, DB, LOGGER, SCHEMA } from '@edgeplane/service-kit';
import type { HealthArbiterConfig } from '../config.js';
import { inSchema, type SchemaQueries } from '../db/database.js';
import { ClusterHealthEngine } from '../engine/cluster-health.engine.js';
import {
  engineSettingsFrom,
  type PersistedVerdict,
  type VerdictHistoryEntry,
} from '../engine/cluster-health.state.js';
import { gaugeSources, tickDuration, verdictChanges } from '../health.metrics.js';
import { liveClusterIds, resolveCluster } from '../read-model/clusters.queries.js';
import { presentNodes, type HealthNodeRow } from '../read-model/nodes.queries.js';
import { clusterSettings, configuredSettings } from '../read-model/settings.queries.js';
import {
  historyOfClusters,
  recordedVerdict,
  recordedVerdicts,
  verdictHistory,
  verdictsOfClusters,
} from '../read-model/verdicts.queries.js';
import { DEFAULT_HEALTH_SETTINGS, type HealthSettings } from '../settings/settings.state.js';
import { SignalIngest } from '../signals/signal-ingest.js';
import { CLOCK, type Clock } from '../tokens.js';
import { NodeVerdictHandler } from '../verdict/verdict.handler.js';
import {
  HISTORY_LIMIT,
  liveExplanation,
  recordedExplanation,
  type NodeExplanationView,
} from '../verdict/verdict.views.js';

/**
 * The arbiter at run time: one ClusterHealthEngine per cluster whose signal partition this
 * instance owns (HEALTH_PARTITIONS), fed by the domain consumers (node set, units, settings) and
 * the signal ingest, evaluated every HEALTH_TICK_MS; verdict changes of a tick are recorded in
 * one transaction through the node-verdict handler and leave through the outbox.
 *
 * Start-up order (restart safety): settings → node set → restore(persisted verdicts, window
 * start) → replay the SIGNALS window (from now − max(grace, vote TTL)) → only then tick. The
 * engine holds changes until it has seen a full window, so a restart flaps no verdict.
 */
@Injectable()
export class HealthArbiter implements OnModuleInit, OnModuleDestroy {
  private readonly engines = new Map<string, ClusterHealthEngine>();
  private readonly owned: Set<number>;
  private readonly q: SchemaQueries;
  private ingest?: SignalIngest;
  private timer?: NodeJS.Timeout;
  private ticking = false;
  private stopped = false;

  constructor(
    @Inject(DB) db: Db,
    @Inject(SCHEMA) schema: string,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CONFIG) private readonly config: HealthArbiterConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(NodeVerdictHandler) private readonly recorder: NodeVerdictHandler,
  ) {
    this.q = inSchema(db, schema);
    this.owned = new Set(config.HEALTH_PARTITIONS);
    gaugeSources.nodes = () => {
      let n = 0;
      for (const e of this.engines.values()) n += e.stats().nodes;
      return n;
    };
    gaugeSources.clusters = () => this.engines.size;
    gaugeSources.replayCaughtUp = () => (this.ingest?.replayDone ? 1 : 0);
  }

  // ───────────────────────────── lifecycle ─────────────────────────────

  async onModuleInit(): Promise<void> {
    const { q } = this;
    const ids = (await liveClusterIds(q)).filter((id) => this.owns(id));
    const settingsBy = await configuredSettings(q, ids);
    for (const id of ids) this.createEngine(id, settingsBy.get(id) ?? DEFAULT_HEALTH_SETTINGS);

    const nodes = await presentNodes(q, ids);
    for (const n of nodes) this.engines.get(n.cluster_id)?.upsertNode(n.node, n.joined_at.getTime(), n.units);

    const verdicts = await verdictsOfClusters(q, ids);
    const historyBy = new Map<string, VerdictHistoryEntry[]>();
    for (const h of await historyOfClusters(q, ids, HISTORY_LIMIT)) {
      const key = `${h.cluster_id}\u0000${h.node}`;
      const list = historyBy.get(key) ?? [];
      list.push({ at: h.at.toISOString(), verdict: h.verdict, previous: h.previous, rule: h.rule });
      historyBy.set(key, list);
    }
    const persisted = new Map<string, PersistedVerdict[]>();
    for (const v of verdicts) {
      const list = persisted.get(v.cluster_id) ?? [];
      list.push({
        node: v.node,
        verdict: v.verdict,
        rule: v.rule,
        since: v.since.toISOString(),
        history: historyBy.get(`${v.cluster_id}\u0000${v.node}`),
      });
      persisted.set(v.cluster_id, list);
    }
    this.recorder.remember(
      verdicts.map((v) => ({
        clusterId: v.cluster_id,
        node: v.node,
        version: v.stream_version,
        verdict: v.verdict,
        rule: v.rule,
        since: v.since.toISOString(),
      })),
    );

    // The replay window: long enough for the longest grace / vote TTL of any owned cluster.
    const now = this.clock().getTime();
    let windowMs =
      Math.max(DEFAULT_HEALTH_SETTINGS.graceSeconds, DEFAULT_HEALTH_SETTINGS.voteTtlSeconds) * 1000;
    for (const e of this.engines.values()) {
      const s = e.getSettings();
      windowMs = Math.max(windowMs, s.graceMs, s.voteTtlMs);
    }
    const startTime = now - windowMs;
    const windowStart = await this.oldestRetainedSignal(startTime, now);
    for (const [id, engine] of this.engines) engine.restore(persisted.get(id) ?? [], { windowStart });
    this.logger.info(
      {
        clusters: this.engines.size,
        nodes: nodes.length,
        verdicts: verdicts.length,
        windowMs,
        partitions: this.config.HEALTH_PARTITIONS.length,
      },
      'health state loaded; replaying the signal window',
    );

    this.ingest = new SignalIngest(
      this.bus,
      this.config.HEALTH_PARTITIONS,
      (id) => this.engines.get(id),
      this.logger,
    );
    await this.ingest.start(new Date(startTime));
    this.timer = setInterval(() => void this.tick(), this.config.HEALTH_TICK_MS);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.ingest?.stop();
    // let a tick in progress finish its transaction
    for (let i = 0; i < 200 && this.ticking; i++) await new Promise((r) => setTimeout(r, 25));
  }

  /** Receipt time of the oldest signal still retained (or `now` when the stream is empty), bounded below by the replay start. */
  private async oldestRetainedSignal(startTime: number, now: number): Promise<number> {
    try {
      const info = await this.bus.jsm.streams.info(streamName(STREAMS.SIGNALS.name));
      if (info.state.messages === 0) return now;
      return Math.max(startTime, Date.parse(info.state.first_ts));
    } catch {
      return now;
    }
  }

  // ───────────────────────────── ownership and engines ─────────────────────────────

  owns(clusterId: string): boolean {
    return this.owned.has(signalPartition(clusterId));
  }

  engine(clusterId: string): ClusterHealthEngine | undefined {
    return this.engines.get(clusterId);
  }

  private createEngine(clusterId: string, settings: HealthSettings): ClusterHealthEngine {
    const engine = new ClusterHealthEngine(clusterId, {
      settings: engineSettingsFrom(settings),
      timerResolutionMs: 100,
      historyLimit: HISTORY_LIMIT,
    });
    this.engines.set(clusterId, engine);
    return engine;
  }

  /** ClusterCreated (idempotent): an engine for an owned cluster, with its stored settings. */
  async clusterCreated(clusterId: string, q: SchemaQueries): Promise<void> {
    if (!this.owns(clusterId) || this.engines.has(clusterId)) return;
    this.createEngine(clusterId, await clusterSettings(q, clusterId));
  }

  clusterDeleted(clusterId: string): void {
    this.engines.delete(clusterId);
    this.recorder.forgetCluster(clusterId);
  }

  /** A node's row in proj_health_nodes changed: mirror it into the engine (idempotent). */
  syncNode(
    clusterId: string,
    node: string,
    row: Pick<HealthNodeRow, 'present' | 'joined_at' | 'units'>,
  ): void {
    const engine = this.engines.get(clusterId);
    if (!engine) return;
    if (!row.present || !row.joined_at) engine.removeNode(node);
    else engine.upsertNode(node, row.joined_at.getTime(), row.units);
  }

  applySettings(clusterId: string, settings: HealthSettings): void {
    const engine = this.engines.get(clusterId);
    if (!engine) return;
    const next = engineSettingsFrom(settings);
    const cur = engine.getSettings();
    const same =
      cur.multiRegion === next.multiRegion &&
      cur.noEviction === next.noEviction &&
      cur.graceMs === next.graceMs &&
      cur.voteTtlMs === next.voteTtlMs &&
      cur.disabledUnits.join('\u0000') === next.disabledUnits.join('\u0000');
    if (!same) engine.applySettings(next);
  }

  // ───────────────────────────── evaluation ─────────────────────────────

  /** One evaluation of every engine; the changes are recorded in one transaction. */
  async tick(now = this.clock().getTime()): Promise<number> {
    if (this.ticking || this.stopped || !this.ingest?.replayDone) return 0;
    this.ticking = true;
    const timer = tickDuration.startTimer();
    try {
      const changes: NodeVerdictChangedData[] = [];
      for (const engine of this.engines.values()) for (const c of engine.tick(now)) changes.push(c);
      if (changes.length > 0)
        for (const recorded of await this.recorder.record(changes))
          verdictChanges.inc({ verdict: recorded.verdict });
      return changes.length;
    } catch (error) {
      this.logger.error({ err: (error as Error).message }, 'verdict tick failed');
      return 0;
    } finally {
      timer();
      this.ticking = false;
    }
  }

  // ───────────────────────────── read paths (a cluster by name or id) ─────────────────────────────

  /**
   * ExplainNode: live from the engine when this instance judges the node; otherwise (a cluster
   * judged by another instance, or a node the engine no longer holds) from the record.
   */
  async explain(clusterRef: string, node: string): Promise<NodeExplanationView> {
    const clusterId = await resolveCluster(this.q, clusterRef);
    const live = this.engines.get(clusterId)?.explain(node, this.clock().getTime());
    if (live) return liveExplanation(live);
    const row = await recordedVerdict(this.q, clusterId, node);
    if (!row) throw new NotFoundError('node', `${node}" in cluster "${clusterId}`);
    const history = await verdictHistory(this.q, clusterId, node, HISTORY_LIMIT);
    return recordedExplanation(clusterId, node, row, history);
  }

  /** ListVerdicts: the recorded verdicts of the cluster's nodes (all, or only these), by node. */
  async listVerdicts(
    clusterRef: string,
    only: readonly Verdict[],
  ): Promise<{ node: string; verdict: Verdict; rule: VerdictRule; since: Date }[]> {
    return recordedVerdicts(this.q, await resolveCluster(this.q, clusterRef), only);
  }
}
