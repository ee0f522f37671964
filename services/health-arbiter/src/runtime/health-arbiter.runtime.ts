import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  STREAMS,
  signalPartition,
  type NodeVerdictChangedData,
  type Verdict,
  type VerdictRule,
} from '@edgeplane/contracts';
import { VersionConflictError } from '@edgeplane/es-kit';
import {
  AggregateHandler,
  type AnyDb,
  type EventStore,
  type StreamAppend,
  type Trx,
} from '@edgeplane/eventstore';
import type { Bus } from '@edgeplane/messaging';
import type { Logger } from '@edgeplane/observability';
import { BUS, CONFIG, DB, EVENT_STORE, LOGGER, SCHEMA } from '@edgeplane/service-kit';
import { sql } from 'kysely';
import type { HealthArbiterConfig } from '../config.js';
import {
  ClusterHealthEngine,
  engineSettingsFrom,
  type PersistedVerdict,
  type VerdictHistoryEntry,
} from '../engine/cluster-health.engine.js';
import { DEFAULT_HEALTH_SETTINGS, type HealthSettings } from '../settings/settings.decider.js';
import { SignalIngest } from '../signals/signal-ingest.js';
import {
  nodeVerdictDecider,
  nodeVerdictStreamId,
  type NodeVerdictState,
} from '../verdict/verdict.decider.js';
import { gaugeSources, tickDuration, verdictChanges } from './health.metrics.js';

export const HISTORY_LIMIT = 20;

interface SettingsRow {
  cluster_id: string;
  multi_region: boolean;
  no_eviction: boolean;
  grace_seconds: number;
  vote_ttl_seconds: number;
  disabled_units: string[];
}

export function settingsFromRow(row: SettingsRow | undefined): HealthSettings {
  if (!row) return DEFAULT_HEALTH_SETTINGS;
  return {
    multiRegion: row.multi_region,
    noEviction: row.no_eviction,
    graceSeconds: row.grace_seconds,
    voteTtlSeconds: row.vote_ttl_seconds,
    disabledUnits: [...row.disabled_units].sort(),
  };
}

/** What is persisted on a node's verdict stream, cached so recording needs no read-back. */
interface Recorded {
  version: number;
  verdict: Verdict;
  rule: VerdictRule;
  since: string;
}

/**
 * The arbiter at run time: one ClusterHealthEngine per cluster whose signal partition this
 * instance owns (HEALTH_PARTITIONS), fed by the domain consumers (node set, units, settings) and
 * the signal ingest, evaluated every HEALTH_TICK_MS; verdict changes of a tick are recorded in
 * one transaction through the node-verdict decider and leave through the outbox.
 *
 * Start-up order (restart safety): settings → node set → restore(persisted verdicts, window
 * start) → replay the SIGNALS window (from now − max(grace, vote TTL)) → only then tick. The
 * engine holds changes until it has seen a full window, so a restart flaps no verdict.
 */
@Injectable()
export class HealthArbiter implements OnModuleInit, OnModuleDestroy {
  private readonly engines = new Map<string, ClusterHealthEngine>();
  private readonly owned: Set<number>;
  private readonly recorded = new Map<string, Recorded>();
  private readonly handler: AggregateHandler<
    NodeVerdictState,
    Parameters<typeof nodeVerdictDecider.decide>[0],
    ReturnType<typeof nodeVerdictDecider.decide>[number]
  >;
  private ingest?: SignalIngest;
  private timer?: NodeJS.Timeout;
  private ticking = false;
  private stopped = false;

  constructor(
    @Inject(DB) private readonly db: AnyDb,
    @Inject(SCHEMA) private readonly schema: string,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CONFIG) private readonly config: HealthArbiterConfig,
  ) {
    this.owned = new Set(config.HEALTH_PARTITIONS);
    this.handler = new AggregateHandler(store, nodeVerdictDecider);
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
    const t = (name: string) => sql.id(this.schema, name);
    const clusters = (
      await sql<{
        cluster_id: string;
      }>`SELECT cluster_id FROM ${t('proj_health_clusters')} WHERE NOT deleted`.execute(this.db)
    ).rows
      .map((r) => r.cluster_id)
      .filter((id) => this.owns(id));
    const ids = clusters;
    const settingsRows = (
      await sql<SettingsRow>`SELECT * FROM ${t('proj_health_settings')} WHERE cluster_id = ANY(${ids}::text[])`.execute(
        this.db,
      )
    ).rows;
    const settingsBy = new Map(settingsRows.map((r) => [r.cluster_id, settingsFromRow(r)]));
    for (const id of clusters) this.createEngine(id, settingsBy.get(id) ?? DEFAULT_HEALTH_SETTINGS);

    const nodes = await sql<{ cluster_id: string; node: string; joined_at: Date; units: string[] }>`
      SELECT cluster_id, node, joined_at, units FROM ${t('proj_health_nodes')}
      WHERE present AND cluster_id = ANY(${ids}::text[])`.execute(this.db);
    for (const n of nodes.rows)
      this.engines.get(n.cluster_id)?.upsertNode(n.node, n.joined_at.getTime(), n.units);

    const verdicts = await sql<{
      cluster_id: string;
      node: string;
      verdict: Verdict;
      rule: VerdictRule;
      since: Date;
      stream_version: number;
    }>`
      SELECT cluster_id, node, verdict, rule, since, stream_version FROM ${t('proj_verdicts')}
      WHERE cluster_id = ANY(${ids}::text[])`.execute(this.db);
    const history = await sql<{
      cluster_id: string;
      node: string;
      at: Date;
      verdict: Verdict;
      previous: Verdict | null;
      rule: VerdictRule;
    }>`
      SELECT cluster_id, node, at, verdict, previous, rule FROM (
        SELECT h.*, row_number() OVER (PARTITION BY cluster_id, node ORDER BY position DESC) AS rn
        FROM ${t('proj_verdict_history')} h WHERE cluster_id = ANY(${ids}::text[])
      ) x WHERE rn <= ${HISTORY_LIMIT} ORDER BY position`.execute(this.db);
    const historyBy = new Map<string, VerdictHistoryEntry[]>();
    for (const h of history.rows) {
      const key = keyOf(h.cluster_id, h.node);
      const list = historyBy.get(key) ?? [];
      list.push({ at: h.at.toISOString(), verdict: h.verdict, previous: h.previous, rule: h.rule });
      historyBy.set(key, list);
    }
    const persisted = new Map<string, PersistedVerdict[]>();
    for (const v of verdicts.rows) {
      const since = v.since.toISOString();
      this.recorded.set(keyOf(v.cluster_id, v.node), {
        version: v.stream_version,
        verdict: v.verdict,
        rule: v.rule,
        since,
      });
      const list = persisted.get(v.cluster_id) ?? [];
      list.push({
        node: v.node,
        verdict: v.verdict,
        rule: v.rule,
        since,
        history: historyBy.get(keyOf(v.cluster_id, v.node)),
      });
      persisted.set(v.cluster_id, list);
    }

    // The replay window: long enough for the longest grace / vote TTL of any owned cluster.
    const now = Date.now();
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
        nodes: nodes.rows.length,
        verdicts: verdicts.rows.length,
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
      const info = await this.bus.jsm.streams.info(STREAMS.SIGNALS.name);
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
  async clusterCreated(clusterId: string, trx: Trx): Promise<void> {
    if (!this.owns(clusterId) || this.engines.has(clusterId)) return;
    const row = (
      await sql<SettingsRow>`SELECT * FROM ${sql.id(this.schema, 'proj_health_settings')} WHERE cluster_id = ${clusterId}`.execute(
        trx,
      )
    ).rows[0];
    this.createEngine(clusterId, settingsFromRow(row));
  }

  clusterDeleted(clusterId: string): void {
    this.engines.delete(clusterId);
    for (const key of this.recorded.keys())
      if (key.startsWith(`${clusterId}\u0000`)) this.recorded.delete(key);
  }

  /** A node's row in proj_health_nodes changed: mirror it into the engine (idempotent). */
  syncNode(
    clusterId: string,
    node: string,
    row: { present: boolean; joinedAt: Date | null; units: string[] },
  ): void {
    const engine = this.engines.get(clusterId);
    if (!engine) return;
    if (!row.present || !row.joinedAt) engine.removeNode(node);
    else engine.upsertNode(node, row.joinedAt.getTime(), row.units);
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
  async tick(now = Date.now()): Promise<number> {
    if (this.ticking || this.stopped || !this.ingest?.replayDone) return 0;
    this.ticking = true;
    const timer = tickDuration.startTimer();
    try {
      const changes: NodeVerdictChangedData[] = [];
      for (const engine of this.engines.values()) for (const c of engine.tick(now)) changes.push(c);
      if (changes.length > 0) await this.record(changes);
      return changes.length;
    } catch (error) {
      this.logger.error({ err: (error as Error).message }, 'verdict tick failed');
      return 0;
    } finally {
      timer();
      this.ticking = false;
    }
  }

  private async record(changes: NodeVerdictChangedData[]): Promise<void> {
    const done: { key: string; rec: Recorded }[] = [];
    try {
      const batch: StreamAppend[] = [];
      for (const change of changes) {
        const key = keyOf(change.clusterId, change.node);
        const known = this.recorded.get(key);
        const state: NodeVerdictState = known
          ? {
              status: 'judged',
              clusterId: change.clusterId,
              node: change.node,
              verdict: known.verdict,
              rule: known.rule,
              since: known.since,
            }
          : nodeVerdictDecider.initialState;
        const events = nodeVerdictDecider.decide({ type: 'RecordVerdict', change }, state);
        if (events.length === 0) continue;
        const version = known?.version ?? 0;
        batch.push({
          streamId: nodeVerdictStreamId(change.clusterId, change.node),
          expectedVersion: version,
          events,
        });
        done.push({
          key,
          rec: {
            version: version + events.length,
            verdict: change.verdict,
            rule: change.rule,
            since: change.at,
          },
        });
      }
      await this.store.appendMany(batch, { metadata: { actor: 'health-arbiter' } });
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      // The cache was stale (another writer): record each change on freshly read state.
      this.logger.warn({ err: error.message }, 'verdict stream moved on; recording one by one');
      done.length = 0;
      for (const change of changes) {
        const streamId = nodeVerdictStreamId(change.clusterId, change.node);
        const result = await this.handler.handle(
          streamId,
          { type: 'RecordVerdict', change },
          { metadata: { actor: 'health-arbiter' } },
        );
        if (result.state.status === 'judged') {
          const s = result.state;
          done.push({
            key: keyOf(change.clusterId, change.node),
            rec: { version: result.version, verdict: s.verdict, rule: s.rule, since: s.since },
          });
        }
      }
    }
    for (const { key, rec } of done) {
      this.recorded.set(key, rec);
      verdictChanges.inc({ verdict: rec.verdict });
    }
  }
}

function keyOf(clusterId: string, node: string): string {
  return `${clusterId}\u0000${node}`;
}
