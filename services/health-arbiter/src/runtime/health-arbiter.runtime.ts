import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  NodeMembershipChanged,
  STREAMS,
  signalPartition,
  streamName,
  subscriptionOf,
  type NodeVerdictChangedData,
  type Verdict,
} from '@edgeplane/contracts';
import { NotFoundError } from '@edgeplane/es-kit';
import type { Db } from '@edgeplane/eventstore';
import type { Bus, ConsumerOptions } from '@edgeplane/messaging';
import type { Logger } from '@edgeplane/observability';
import { BUS, CONFIG, CONSUMER_OPTIONS, DB, LOGGER, SCHEMA } from '@edgeplane/service-kit';
import type { HealthArbiterConfig } from '../config.js';
import { inSchema, type SchemaQueries } from '../db/database.js';
import { ClusterHealthEngine } from '../engine/cluster-health.engine.js';
import {
  engineSettingsFrom,
  type PersistedVerdict,
  type VerdictHistoryEntry,
} from '../engine/cluster-health.state.js';
import { gaugeSources, tickDuration, verdictChanges } from '../health.metrics.js';
import { PartitionLeases } from '../leases/partition-leases.js';
import { liveClusterIds, resolveCluster } from '../read-model/clusters.queries.js';
import { raiseFence, resetFence } from '../read-model/fences.queries.js';
import { nodeRows, presentNodes, type HealthNodeRow } from '../read-model/nodes.queries.js';
import { clusterSettings, configuredSettings } from '../read-model/settings.queries.js';
import {
  historyOfClusters,
  recordedVerdict,
  recordedVerdicts,
  verdictHistory,
  verdictsOfClusters,
  type ListedVerdictRow,
} from '../read-model/verdicts.queries.js';
import { DEFAULT_HEALTH_SETTINGS, type HealthSettings } from '../settings/settings.state.js';
import { SignalIngest } from '../signals/signal-ingest.js';
import { CLOCK, type Clock } from '../tokens.js';
import { CatchUpTracker } from './catch-up.js';
import { CLUSTER_EVENTS_DURABLE, CLUSTER_INPUTS, MEMBERSHIP_DURABLE } from './inputs.js';
import { InputListener, type InputNotice } from './input-sync.js';
import { NodeVerdictHandler } from '../verdict/verdict.handler.js';
import {
  HISTORY_LIMIT,
  liveExplanation,
  recordedExplanation,
  type NodeExplanationView,
} from '../verdict/verdict.views.js';

/** One partition this instance holds: the lease epoch, its signal ingest, its clusters. */
interface HeldPartition {
  epoch: number;
  ingest: SignalIngest;
}

/**
 * The arbiter at run time: one ClusterHealthEngine per cluster of a signal partition whose LEASE
 * this instance holds (src/leases/: NATS KV with TTL, fair share among the live instances,
 * HEALTH_PARTITIONS only limits what it may take), fed by the shared read model (the domain
 * consumers apply each event once per schema and NOTIFY every replica: runtime/input-sync.ts) and
 * the partition's signal ingest, evaluated every HEALTH_TICK_MS; the changes of a tick are
 * recorded in one transaction that checks the partitions' fences (verdict.handler.ts), and leave
 * through the outbox.
 *
 * Taking a partition (at start or from another instance): raise its fence → settings → node set
 * → restore(persisted verdicts, window start) → replay the partition's SIGNALS window (from now −
 * max(grace, vote TTL)) → only then tick it. The engine holds changes until it has seen a full
 * window, so neither a restart nor a takeover flaps a verdict.
 *
 * Lagging inputs: every second the domain consumers' progress is measured on the server
 * (runtime/catch-up.ts) and handed to the engines, which never evict a node "in no unit" by the
 * standard rule unless the membership events published before its last contact are applied.
 */
@Injectable()
export class HealthArbiter implements OnModuleInit, OnModuleDestroy {
  private readonly engines = new Map<string, ClusterHealthEngine>();
  private readonly partitions = new Map<number, HeldPartition>();
  private readonly q: SchemaQueries;
  private readonly leases: PartitionLeases;
  private readonly listener: InputListener;
  private readonly catchUp: CatchUpTracker;
  /** every domain input published before this time is applied to the engines */
  private inputsKnownAt = Number.NEGATIVE_INFINITY;
  private timer?: NodeJS.Timeout;
  private catchUpTimer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private stopped = false;
  /** node notices waiting to be read back (cluster → nodes), flushed in order by one worker */
  private readonly pendingNodes = new Map<string, Set<string>>();
  private readonly pendingClusters = new Set<string>();
  private readonly pendingSettings = new Set<string>();
  private flushing: Promise<void> = Promise.resolve();
  private flushScheduled = false;

  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(SCHEMA) private readonly schema: string,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CONFIG) private readonly config: HealthArbiterConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(NodeVerdictHandler) private readonly recorder: NodeVerdictHandler,
    @Inject(CONSUMER_OPTIONS) consumerOptions: ConsumerOptions,
  ) {
    this.q = inSchema(db, schema);
    const instanceId =
      config.HEALTH_INSTANCE_ID ??
      `${hostname()
        .replace(/[^A-Za-z0-9_-]/g, '-')
        .slice(0, 40)}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.leases = new PartitionLeases(
      bus,
      {
        instanceId,
        allowed: config.HEALTH_PARTITIONS,
        ttlMs: config.HEALTH_LEASE_TTL_MS,
        bucket: config.HEALTH_LEASE_BUCKET,
      },
      {
        acquired: (p, epoch) => this.takePartition(p, epoch),
        released: (p, why) => this.dropPartition(p, why),
      },
      logger,
    );
    this.listener = new InputListener(
      config.DATABASE_URL,
      schema,
      (notice) => this.onNotice(notice),
      () => this.reloadInputs(),
      logger,
    );
    const suffix = consumerOptions.durableSuffix;
    this.catchUp = new CatchUpTracker(bus, [
      { stream: subscriptionOf([NodeMembershipChanged]).stream.name, durable: MEMBERSHIP_DURABLE + suffix },
      { stream: subscriptionOf(CLUSTER_INPUTS).stream.name, durable: CLUSTER_EVENTS_DURABLE + suffix },
    ]);
    gaugeSources.nodes = () => {
      let n = 0;
      for (const e of this.engines.values()) n += e.stats().nodes;
      return n;
    };
    gaugeSources.clusters = () => this.engines.size;
    gaugeSources.partitions = () => this.partitions.size;
    gaugeSources.heldPartitions = () => this.heldPartitions();
    gaugeSources.replayCaughtUp = () =>
      [...this.partitions.values()].every((h) => h.ingest.replayDone) ? 1 : 0;
    gaugeSources.inputsLagSeconds = () =>
      Number.isFinite(this.inputsKnownAt) ? Math.max(0, (Date.now() - this.inputsKnownAt) / 1000) : -1;
  }

  get instanceId(): string {
    return this.leases.instanceId;
  }

  // ───────────────────────────── lifecycle ─────────────────────────────

  async onModuleInit(): Promise<void> {
    await this.listener.start();
    await this.leases.start();
    this.logger.info(
      {
        instance: this.leases.instanceId,
        partitions: this.leases.heldPartitions(),
        leaseMs: this.leases.leaseMs,
      },
      'partition leases taken',
    );
    this.timer = setInterval(() => void this.tick(), this.config.HEALTH_TICK_MS);
    this.catchUpTimer = setInterval(() => void this.measureInputs(), 1000);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.catchUpTimer) clearInterval(this.catchUpTimer);
    await this.ticking;
    await this.leases.stop();
    await this.listener.stop();
  }

  // ───────────────────────────── partitions ─────────────────────────────

  /** The lease of `p` was won: fence it, load its clusters, start replaying its signal window. */
  private async takePartition(p: number, epoch: number): Promise<void> {
    const holder = this.leases.instanceId;
    if (!(await raiseFence(this.q, p, epoch, holder))) {
      // A higher epoch in the fence while the bucket still names us: the bucket was recreated
      // (revisions restart); anything else means a newer holder, and we must not judge.
      if (!(await this.leases.confirms(p, epoch)))
        throw new Error(`partition ${p} is fenced by a newer epoch`);
      await resetFence(this.q, p, epoch, holder);
    }
    const { q } = this;
    const ids = (await liveClusterIds(q)).filter((id) => signalPartition(id) === p);
    const settingsBy = await configuredSettings(q, ids);
    const created = ids.map((id) => this.createEngine(id, settingsBy.get(id) ?? DEFAULT_HEALTH_SETTINGS));
    await this.loadNodes(ids);
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
    for (const id of ids) this.recorder.forgetCluster(id);
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

    // The replay window: long enough for the longest grace / vote TTL of the partition's clusters.
    const now = this.clock().getTime();
    let windowMs =
      Math.max(DEFAULT_HEALTH_SETTINGS.graceSeconds, DEFAULT_HEALTH_SETTINGS.voteTtlSeconds) * 1000;
    for (const e of created) {
      const s = e.getSettings();
      windowMs = Math.max(windowMs, s.graceMs, s.voteTtlMs);
    }
    const startTime = now - windowMs;
    const windowStart = await this.oldestRetainedSignal(startTime, now);
    for (const e of created) e.restore(persisted.get(e.clusterId) ?? [], { windowStart });
    // The lease may have been lost while loading (a slow database or bus): then nothing starts.
    if (this.leases.epoch(p) !== epoch) throw new Error(`partition ${p}: lease lost while loading`);
    await this.partitions.get(p)?.ingest.stop();
    const ingest = new SignalIngest(this.bus, [p], (id) => this.engines.get(id), this.logger);
    this.partitions.set(p, { epoch, ingest });
    await ingest.start(new Date(startTime));
    if (this.leases.epoch(p) !== epoch && this.partitions.get(p)?.ingest === ingest) {
      this.partitions.delete(p);
      await ingest.stop();
      throw new Error(`partition ${p}: lease lost while loading`);
    }
    this.logger.info(
      { partition: p, epoch, clusters: ids.length, verdicts: verdicts.length, windowMs },
      'partition loaded; replaying its signal window',
    );
  }

  /** Stop judging `p`: no tick touches it any more, its ingest stops, its engines go. */
  private async dropPartition(p: number, why: string): Promise<void> {
    const held = this.partitions.get(p);
    // a tick in flight finishes its transaction first (it was decided under the lease); bounded:
    // past that the fence refuses what it would still write
    await Promise.race([this.ticking, new Promise((r) => setTimeout(r, 10_000))]);
    this.partitions.delete(p);
    await held?.ingest.stop();
    for (const id of [...this.engines.keys()]) {
      if (signalPartition(id) !== p) continue;
      this.engines.delete(id);
      this.recorder.forgetCluster(id);
    }
    this.logger.info({ partition: p, why }, 'partition dropped');
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

  /** Does this instance judge the cluster now (holds its partition's lease)? */
  owns(clusterId: string): boolean {
    const p = signalPartition(clusterId);
    return this.partitions.has(p) && this.leases.holds(p);
  }

  /** The partitions this instance holds (for tests and logs). */
  heldPartitions(): number[] {
    return [...this.partitions.keys()].sort((a, b) => a - b);
  }

  engine(clusterId: string): ClusterHealthEngine | undefined {
    return this.engines.get(clusterId);
  }

  private createEngine(clusterId: string, settings: HealthSettings): ClusterHealthEngine {
    const engine = new ClusterHealthEngine(clusterId, {
      settings: engineSettingsFrom(settings),
      timerResolutionMs: 100,
      historyLimit: HISTORY_LIMIT,
      membershipKnownAt: this.inputsKnownAt,
    });
    this.engines.set(clusterId, engine);
    return engine;
  }

  private async loadNodes(clusterIds: readonly string[]): Promise<void> {
    for (const n of await presentNodes(this.q, clusterIds))
      this.engines.get(n.cluster_id)?.upsertNode(n.node, n.joined_at.getTime(), n.units);
  }

  /** A node's row in proj_health_nodes changed: mirror it into the engine (idempotent). */
  syncNode(
    clusterId: string,
    node: string,
    row: Pick<HealthNodeRow, 'present' | 'joined_at' | 'units'> | undefined,
  ): void {
    const engine = this.engines.get(clusterId);
    if (!engine) return;
    if (!row || !row.present || !row.joined_at) engine.removeNode(node);
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

  // ───────────────────────────── inputs from the shared read model ─────────────────────────────

  private onNotice(notice: InputNotice): void {
    if (notice.k === 'barrier') return;
    // only what this instance judges (a cluster notice may create an engine for a held partition)
    if (notice.k !== 'cluster' && !this.engines.has(notice.c)) return;
    if (notice.k === 'node') {
      const set = this.pendingNodes.get(notice.c) ?? new Set<string>();
      set.add(notice.n);
      this.pendingNodes.set(notice.c, set);
    } else if (notice.k === 'settings') this.pendingSettings.add(notice.c);
    else if (this.partitions.has(signalPartition(notice.c))) this.pendingClusters.add(notice.c);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.flushing = this.flushing.then(async () => {
      this.flushScheduled = false;
      try {
        await this.flushNotices();
      } catch (error) {
        // the rows stay right in the database; reload what is judged rather than drift
        this.logger.warn({ err: (error as Error).message }, 'input sync failed; reloading');
        await this.reloadInputs().catch(() => undefined);
      }
    });
  }

  /** Reads back the rows of every notice received so far, in one query per cluster. */
  private async flushNotices(): Promise<void> {
    const clusters = [...this.pendingClusters];
    this.pendingClusters.clear();
    if (clusters.length > 0) {
      const live = new Set(await liveClusterIds(this.q));
      for (const id of clusters) {
        if (!live.has(id)) {
          this.engines.delete(id);
          this.recorder.forgetCluster(id);
        } else if (!this.engines.has(id) && this.partitions.has(signalPartition(id))) {
          this.createEngine(id, await clusterSettings(this.q, id));
          await this.loadNodes([id]);
        }
      }
    }
    const settings = [...this.pendingSettings];
    this.pendingSettings.clear();
    for (const id of settings) {
      if (this.engines.has(id)) this.applySettings(id, await clusterSettings(this.q, id));
    }
    const nodes = [...this.pendingNodes];
    this.pendingNodes.clear();
    for (const [clusterId, names] of nodes) {
      if (!this.engines.has(clusterId)) continue;
      const rows = new Map((await nodeRows(this.q, clusterId, [...names])).map((r) => [r.node, r]));
      for (const n of names) this.syncNode(clusterId, n, rows.get(n));
    }
  }

  /** After a lost listener connection: every held partition's clusters, settings and nodes again. */
  private async reloadInputs(): Promise<void> {
    const live = (await liveClusterIds(this.q)).filter((id) => this.partitions.has(signalPartition(id)));
    const liveSet = new Set(live);
    for (const id of [...this.engines.keys()]) if (!liveSet.has(id)) this.engines.delete(id);
    for (const id of live) {
      const settings = await clusterSettings(this.q, id);
      if (this.engines.has(id)) this.applySettings(id, settings);
      else this.createEngine(id, settings);
    }
    await this.loadNodes(live);
  }

  /**
   * Measures how far the domain inputs are applied (on the server) and hands it to the engines —
   * after a barrier, so the notices of everything applied have been read back into them.
   */
  private async measureInputs(): Promise<void> {
    if (this.stopped) return;
    try {
      const knownAt = await this.catchUp.poll(this.clock().getTime());
      if (!(knownAt > this.inputsKnownAt)) return;
      await this.listener.barrier(this.db);
      this.scheduleFlush();
      await this.flushing;
      this.inputsKnownAt = knownAt;
      for (const e of this.engines.values()) e.setMembershipKnownAt(knownAt);
    } catch {
      /* consumers not created yet, bus or database away: the last measure stands */
    }
  }

  // ───────────────────────────── evaluation ─────────────────────────────

  /** One evaluation of the engines of every held, replayed partition; the changes are recorded in one transaction. */
  async tick(now = this.clock().getTime()): Promise<number> {
    if (this.ticking || this.stopped) return 0;
    let count = 0;
    this.ticking = (async () => {
      const timer = tickDuration.startTimer();
      try {
        const epochs = new Map<number, number>();
        for (const [p, held] of this.partitions)
          if (held.ingest.replayDone && this.leases.holds(p)) epochs.set(p, held.epoch);
        const changes: NodeVerdictChangedData[] = [];
        for (const [id, engine] of this.engines) {
          if (!epochs.has(signalPartition(id))) continue;
          for (const c of engine.tick(now)) changes.push(c);
        }
        count = changes.length;
        if (changes.length === 0) return;
        const outcome = await this.recorder.record(changes, epochs);
        for (const recorded of outcome.recorded) verdictChanges.inc({ verdict: recorded.verdict });
        for (const p of outcome.fenced) void this.leases.lost(p);
      } catch (error) {
        this.logger.error({ err: (error as Error).message }, 'verdict tick failed');
      } finally {
        timer();
      }
    })();
    await this.ticking;
    this.ticking = undefined;
    return count;
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

  /**
   * ListVerdicts: the recorded verdicts of the cluster's nodes (all, or only these), by node, with
   * their units and the evidence of the last change.
   */
  async listVerdicts(clusterRef: string, only: readonly Verdict[]): Promise<ListedVerdictRow[]> {
    return recordedVerdicts(this.q, await resolveCluster(this.q, clusterRef), only);
  }
}
