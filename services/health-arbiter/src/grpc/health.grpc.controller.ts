import type { Metadata } from '@grpc/grpc-js';
import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type {
  HealthTaint,
  ReadyCondition,
  Verdict,
  VerdictEvidence,
  VerdictRule,
} from '@edgeplane/contracts';
import { NotFoundError } from '@edgeplane/es-kit';
import { AggregateHandler, type AnyDb, type EventStore } from '@edgeplane/eventstore';
import type { EdgeplaneHealthV1 } from '@edgeplane/proto';
import { DB, EVENT_STORE, SCHEMA, parseRequest } from '@edgeplane/service-kit';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Explanation } from '../engine/cluster-health.engine.js';
import { ruleText, taintsOf } from '../engine/verdict-table.js';
import { HealthArbiter, HISTORY_LIMIT, settingsFromRow } from '../runtime/health-arbiter.runtime.js';
import {
  healthSettingsDecider,
  healthSettingsStreamId,
  type HealthSettingsState,
} from '../settings/settings.decider.js';

type HealthConfigPb = EdgeplaneHealthV1.HealthConfig;
type NodeExplanationPb = EdgeplaneHealthV1.NodeExplanation;
type VerdictPb = EdgeplaneHealthV1.Verdict__Output;

const VERDICT_TO_PB: Record<Verdict, VerdictPb> = {
  Ready: 'VERDICT_READY',
  NotReadyNoSchedule: 'VERDICT_NOT_READY_NO_SCHEDULE',
  NotReadyNoExecute: 'VERDICT_NOT_READY_NO_EXECUTE',
  Unknown: 'VERDICT_UNKNOWN',
};
const PB_TO_VERDICT = Object.fromEntries(Object.entries(VERDICT_TO_PB).map(([k, v]) => [v, k])) as Record<
  string,
  Verdict
>;
const pbVerdict = (v: Verdict | null | undefined): VerdictPb =>
  v ? VERDICT_TO_PB[v] : 'VERDICT_UNSPECIFIED';

const ClusterRef = z.string().trim().min(1, 'names the cluster (its name or id)');
const GetConfigRequest = z.object({ cluster: ClusterRef });
const SetConfigRequest = z.object({
  cluster: ClusterRef,
  multiRegion: z.boolean().optional(),
  noEviction: z.boolean().optional(),
  graceSeconds: z.number().int().optional(),
  voteTtlSeconds: z.number().int().optional(),
  actor: z.string().default(''),
});
const SetUnitHealthCheckRequest = z.object({
  cluster: ClusterRef,
  unit: z.string(),
  enabled: z.boolean(),
  actor: z.string().default(''),
});
const ExplainNodeRequest = z.object({
  cluster: ClusterRef,
  node: z.string().trim().min(1, 'names the node'),
});
const ListVerdictsRequest = z.object({
  cluster: ClusterRef,
  verdicts: z
    .array(
      z.enum([
        'VERDICT_READY',
        'VERDICT_NOT_READY_NO_SCHEDULE',
        'VERDICT_NOT_READY_NO_EXECUTE',
        'VERDICT_UNKNOWN',
      ]),
    )
    .default([]),
});

/** proto3 `optional`: present only when its synthetic oneof names it (proto-loader `oneofs: true`). */
function present<T>(request: Record<string, unknown>, field: string): T | undefined {
  const oneof = request[`_${field}`];
  if (oneof !== undefined) return oneof === field ? (request[field] as T) : undefined;
  return request[field] as T | undefined;
}

function actorOf(requested: string, metadata?: Metadata): string {
  if (requested.trim() !== '') return requested.trim();
  const fromMd = metadata?.get?.('edgeplane-actor')?.[0];
  return typeof fromMd === 'string' && fromMd.trim() !== '' ? fromMd.trim() : 'anonymous';
}

/**
 * edgeplane.health.v1.HealthService: maps proto ↔ commands and read models, nothing else.
 * A cluster is addressed by name or id, resolved through proj_health_clusters (ClusterCreated).
 */
@Controller()
export class HealthGrpcController {
  private readonly settings: AggregateHandler<
    HealthSettingsState,
    Parameters<typeof healthSettingsDecider.decide>[0],
    ReturnType<typeof healthSettingsDecider.decide>[number]
  >;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(DB) private readonly db: AnyDb,
    @Inject(SCHEMA) private readonly schema: string,
    @Inject(HealthArbiter) private readonly arbiter: HealthArbiter,
  ) {
    this.settings = new AggregateHandler(store, healthSettingsDecider);
  }

  private t(name: string) {
    return sql.id(this.schema, name);
  }

  /** Cluster name or id → id (the live cluster of that name). */
  private async resolveCluster(ref: string): Promise<string> {
    const row = (
      await sql<{ cluster_id: string }>`
        SELECT cluster_id FROM ${this.t('proj_health_clusters')}
        WHERE NOT deleted AND (cluster_id = ${ref} OR name = ${ref})
        ORDER BY (cluster_id = ${ref}) DESC, created_at DESC LIMIT 1`.execute(this.db)
    ).rows[0];
    if (!row) throw new NotFoundError('cluster', ref);
    return row.cluster_id;
  }

  private async configOf(clusterId: string): Promise<HealthConfigPb> {
    const row = (
      await sql<Parameters<typeof settingsFromRow>[0] & { changed_by: string; changed_at: Date }>`
        SELECT * FROM ${this.t('proj_health_settings')} WHERE cluster_id = ${clusterId}`.execute(this.db)
    ).rows[0];
    const s = settingsFromRow(row);
    return {
      clusterId,
      multiRegion: s.multiRegion,
      noEviction: s.noEviction,
      graceSeconds: s.graceSeconds,
      voteTtlSeconds: s.voteTtlSeconds,
      disabledUnits: [...s.disabledUnits],
      changedBy: row?.changed_by ?? '',
      changedAt: row ? row.changed_at.toISOString() : '',
    };
  }

  @GrpcMethod('HealthService', 'GetConfig')
  async getConfig(request: unknown): Promise<HealthConfigPb> {
    const req = parseRequest(GetConfigRequest, request);
    return this.configOf(await this.resolveCluster(req.cluster));
  }

  @GrpcMethod('HealthService', 'SetConfig')
  async setConfig(request: Record<string, unknown>, metadata?: Metadata): Promise<HealthConfigPb> {
    const req = parseRequest(SetConfigRequest, {
      cluster: request.cluster,
      multiRegion: present<boolean>(request, 'multiRegion'),
      noEviction: present<boolean>(request, 'noEviction'),
      graceSeconds: present<number>(request, 'graceSeconds'),
      voteTtlSeconds: present<number>(request, 'voteTtlSeconds'),
      actor: request.actor,
    });
    const clusterId = await this.resolveCluster(req.cluster);
    const result = await this.settings.handle(
      healthSettingsStreamId(clusterId),
      {
        type: 'ConfigureHealth',
        clusterId,
        multiRegion: req.multiRegion,
        noEviction: req.noEviction,
        graceSeconds: req.graceSeconds,
        voteTtlSeconds: req.voteTtlSeconds,
        actor: actorOf(req.actor, metadata),
        now: new Date().toISOString(),
      },
      { metadata: { actor: actorOf(req.actor, metadata) } },
    );
    this.arbiter.applySettings(clusterId, result.state.settings);
    return this.configOf(clusterId);
  }

  @GrpcMethod('HealthService', 'SetUnitHealthCheck')
  async setUnitHealthCheck(request: unknown, metadata?: Metadata): Promise<HealthConfigPb> {
    const req = parseRequest(SetUnitHealthCheckRequest, request);
    const clusterId = await this.resolveCluster(req.cluster);
    const result = await this.settings.handle(
      healthSettingsStreamId(clusterId),
      {
        type: 'SetUnitHealthCheck',
        clusterId,
        unit: req.unit.trim(),
        enabled: req.enabled,
        actor: actorOf(req.actor, metadata),
        now: new Date().toISOString(),
      },
      { metadata: { actor: actorOf(req.actor, metadata) } },
    );
    this.arbiter.applySettings(clusterId, result.state.settings);
    return this.configOf(clusterId);
  }

  @GrpcMethod('HealthService', 'ExplainNode')
  async explainNode(request: unknown): Promise<NodeExplanationPb> {
    const req = parseRequest(ExplainNodeRequest, request);
    const clusterId = await this.resolveCluster(req.cluster);
    const engine = this.arbiter.engine(clusterId);
    const live = engine?.explain(req.node, Date.now());
    if (live) return explanationToPb(live);
    return this.explainFromRecord(clusterId, req.node);
  }

  /** A cluster judged by another instance (or a node the engine no longer holds): the last recorded evidence. */
  private async explainFromRecord(clusterId: string, node: string): Promise<NodeExplanationPb> {
    const row = (
      await sql<{
        verdict: Verdict;
        rule: VerdictRule;
        since: Date;
        taints: HealthTaint[];
        condition: ReadyCondition;
        evidence: VerdictEvidence;
      }>`
        SELECT v.verdict, v.rule, v.since, v.taints, v.condition, v.evidence FROM ${this.t('proj_verdicts')} v
        JOIN ${this.t('proj_health_nodes')} n ON n.cluster_id = v.cluster_id AND n.node = v.node AND n.present
        WHERE v.cluster_id = ${clusterId} AND v.node = ${node}`.execute(this.db)
    ).rows[0];
    if (!row) throw new NotFoundError('node', `${node}" in cluster "${clusterId}`);
    const history = (
      await sql<{ at: Date; verdict: Verdict; previous: Verdict | null; rule: string }>`
        SELECT at, verdict, previous, rule FROM ${this.t('proj_verdict_history')}
        WHERE cluster_id = ${clusterId} AND node = ${node} ORDER BY position DESC LIMIT ${HISTORY_LIMIT}`.execute(
        this.db,
      )
    ).rows.reverse();
    const e = row.evidence;
    return {
      clusterId,
      node,
      verdict: pbVerdict(row.verdict),
      rule: row.rule,
      since: row.since.toISOString(),
      computedVerdict: pbVerdict(row.verdict),
      computedRule: row.rule,
      explanation: ruleText(row.rule),
      taints: row.taints,
      condition: {
        status: row.condition.status,
        reason: row.condition.reason,
        message: row.condition.message,
      },
      cloud: {
        lastSeen: e.cloudLastSeen ?? '',
        ageMs: e.cloudLastSeen ? String(row.since.getTime() - Date.parse(e.cloudLastSeen)) : '-1',
        lost: e.cloudLost,
        graceMs: 0,
      },
      scope: e.scope,
      units: e.units,
      peers: e.peers.map((p) => ({
        peer: p.peer,
        healthy: p.healthy,
        ageMs: String(p.ageMs),
        fresh: true,
        abstained: false,
        counted: true,
      })),
      quorum: e.quorum,
      frozen: e.frozen,
      darkUnits: e.darkUnits,
      history: history.map((h) => ({
        at: h.at.toISOString(),
        verdict: pbVerdict(h.verdict),
        previous: pbVerdict(h.previous),
        rule: h.rule,
      })),
      holdingUntil: '',
      fromRecord: true,
    };
  }

  @GrpcMethod('HealthService', 'ListVerdicts')
  async listVerdicts(
    request: unknown,
  ): Promise<{ verdicts: { node: string; verdict: VerdictPb; rule: string; since: string }[] }> {
    const req = parseRequest(ListVerdictsRequest, request);
    const clusterId = await this.resolveCluster(req.cluster);
    const wanted = req.verdicts.map((v) => PB_TO_VERDICT[v]!);
    const rows = (
      await sql<{ node: string; verdict: Verdict; rule: string; since: Date }>`
        SELECT v.node, v.verdict, v.rule, v.since FROM ${this.t('proj_verdicts')} v
        JOIN ${this.t('proj_health_nodes')} n ON n.cluster_id = v.cluster_id AND n.node = v.node AND n.present
        WHERE v.cluster_id = ${clusterId} AND (${wanted.length === 0} OR v.verdict = ANY(${wanted}::text[]))
        ORDER BY v.node`.execute(this.db)
    ).rows;
    return {
      verdicts: rows.map((r) => ({
        node: r.node,
        verdict: pbVerdict(r.verdict),
        rule: r.rule,
        since: r.since.toISOString(),
      })),
    };
  }
}

export function explanationToPb(x: Explanation): NodeExplanationPb {
  const c = x.computed;
  return {
    clusterId: x.clusterId,
    node: x.node,
    verdict: pbVerdict(x.current?.verdict),
    rule: x.current?.rule ?? '',
    since: x.current?.since ?? '',
    computedVerdict: pbVerdict(c.verdict),
    computedRule: c.rule,
    explanation: x.explanation,
    // the taints of the PUBLISHED verdict: what the node carries
    taints: (x.current ? taintsOf(x.current.verdict) : c.taints).map((t) => ({
      key: t.key,
      value: t.value,
      effect: t.effect,
    })),
    condition: { status: c.condition.status, reason: c.condition.reason, message: c.condition.message },
    cloud: {
      lastSeen: x.cloud.lastSeen ?? '',
      ageMs: x.cloud.ageMs === null ? '-1' : String(Math.round(x.cloud.ageMs)),
      lost: x.cloud.lost,
      graceMs: x.cloud.graceMs,
    },
    scope: x.peerCheck.scope,
    units: x.peerCheck.units,
    peers: x.peers.map((p) => ({
      peer: p.peer,
      healthy: p.healthy,
      ageMs: String(Math.round(p.ageMs)),
      fresh: p.fresh,
      abstained: p.abstained,
      counted: p.counted,
    })),
    quorum: x.quorum,
    frozen: x.frozen,
    darkUnits: x.darkUnits,
    history: x.history.map((h) => ({
      at: h.at,
      verdict: pbVerdict(h.verdict),
      previous: pbVerdict(h.previous),
      rule: h.rule,
    })),
    holdingUntil: x.holdingUntil ?? '',
    fromRecord: false,
  };
}
