import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { sql } from 'kysely';
import { AggregateHandler, type Db, type EventStore, type Trx } from '@edgeplane/eventstore';
import type { Logger } from '@edgeplane/observability';
import { CONFIG, DB, EVENT_STORE, LOGGER, SCHEMA } from '@edgeplane/service-kit';
import type { GridConfig } from '../config.js';
import { inSchema, type SchemaQueries } from '../db/database.js';
import { gridStreamId, type GridCommand, type GridEvent, type GridState } from '../grid/grid.decider.js';
import {
  nodePodsDecider,
  nodePodsStreamId,
  type AssignNodePods,
  type NodePodsEvent,
  type NodePodsState,
} from '../node-pods/node-pods.decider.js';
import type { PodObservation } from '../domain/index.js';
import { listGrids } from '../read-model/grids.queries.js';
import { worldOf } from '../read-model/world.queries.js';
import { CLOCK, type Clock } from '../tokens.js';
import { sameJson } from '../shared/stable-json.js';
import { GridSnapshotHandler } from '../grid/grid.snapshot.js';
import { ClusterLock } from './cluster-lock.js';
import { assignmentsByNode, planGrid, type GridPlan } from './reconcile-plan.js';

/**
 * The grid reconciler, run after every change to a cluster's grids or their inputs (a unit joins
 * or leaves a group, a node is cordoned, drained or judged NotReady, a grid is applied), in the
 * same transaction under the cluster's lock: computes every grid's children, placements and
 * rollout from scratch with the domain functions and issues commands whose deciders append only
 * the differences — unchanged inputs append nothing. Then each node's full pod set
 * (NodePodsAssigned) for the agents. A timer re-runs clusters whose rollout is in flight, since
 * the health gate's soak is a matter of time, not of events.
 */
@Injectable()
export class GridReconciler implements OnModuleInit, OnModuleDestroy {
  private readonly grids: AggregateHandler<GridState, GridCommand, GridEvent>;
  private readonly nodePods: AggregateHandler<NodePodsState, AssignNodePods, NodePodsEvent>;
  private timer?: NodeJS.Timeout;
  private ticking = false;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(DB) private readonly db: Db,
    @Inject(SCHEMA) private readonly schema: string,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ClusterLock) private readonly lock: ClusterLock,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CONFIG) private readonly config: GridConfig,
  ) {
    this.grids = new GridSnapshotHandler(store, db, schema);
    this.nodePods = new AggregateHandler(store, nodePodsDecider);
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.tick(), this.config.GRID_ROLLOUT_TICK_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Reconciles inside a transaction that holds (or now takes) the cluster's lock. */
  reconcileLocked(trx: Trx, clusterId: string): Promise<void> {
    return this.lock.run(clusterId, (t) => this.reconcile(t, clusterId), trx);
  }

  async reconcile(trx: Trx, clusterId: string): Promise<void> {
    const db = inSchema(trx, this.schema);
    const now = this.clock().toISOString();
    const plans: GridPlan[] = [];
    let failed = false;
    // Workload grids first: ServiceGrids select among their pods.
    const grids = (await listGrids(db, clusterId)).sort(
      (a, b) => Number(a.kind === 'ServiceGrid') - Number(b.kind === 'ServiceGrid'),
    );
    // A cluster without grids (most node churn) costs one query, unless nodes still hold pods.
    if (grids.length === 0 && !(await anyPodsAssigned(db, clusterId))) return;
    const world = await worldOf(db, clusterId);
    const workloadPods: PodObservation[] = [];
    for (const grid of grids) {
      // a workload grid that could not be planned would leave its pods out of every endpoint list
      if (failed && grid.kind === 'ServiceGrid') continue;
      let plan: GridPlan;
      try {
        plan = planGrid(grid, world, now, workloadPods);
        workloadPods.push(...plan.observations);
      } catch (error) {
        // One grid the domain cannot plan (a bug, a manifest an older parser took) must not stop
        // the cluster's other grids or block the consumer's stream: keep its last state, say so.
        // Its nodes' pod sets are left as they are this round.
        this.logger.error({ clusterId, grid: grid.name, err: error }, 'grid reconcile failed');
        failed = true;
        continue;
      }
      const stream = gridStreamId(clusterId, grid.name);
      const base = { clusterId, name: grid.name, now };
      if (plan.rollout)
        await this.grids.handle(stream, { ...base, type: 'AdvanceRollout', next: plan.rollout }, { trx });
      await this.grids.handle(
        stream,
        {
          ...base,
          type: 'ReconcileGrid',
          children: plan.children,
          placements: plan.placements,
          ...(plan.endpoints ? { endpoints: plan.endpoints } : {}),
        },
        { trx },
      );
      plans.push(plan);
    }
    if (failed) return;
    const desired = assignmentsByNode(plans);
    const assigned = await db
      .selectFrom('proj_node_pods')
      .select(['node', 'pods'])
      .where('cluster_id', '=', clusterId)
      .execute();
    const current = new Map(assigned.map((r) => [r.node, r.pods]));
    const nodes = new Set([...desired.keys(), ...current.keys()]);
    for (const node of [...nodes].sort()) {
      const pods = desired.get(node) ?? [];
      if (sameJson(pods, current.get(node) ?? [])) continue;
      await this.nodePods.handle(
        nodePodsStreamId(clusterId, node),
        { type: 'AssignNodePods', clusterId, node, pods, now },
        { trx },
      );
    }
  }

  /** Clusters with a rollout in flight, reconciled one by one (each in its own locked transaction). */
  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const rows = await inSchema(this.db, this.schema)
        .selectFrom('proj_grids')
        .select('cluster_id')
        .distinct()
        .where(sql<boolean>`state -> 'rollout' ->> 'phase' = 'Progressing'`)
        .execute();
      for (const { cluster_id } of rows)
        await this.lock.run(cluster_id, (t) => this.reconcile(t, cluster_id));
    } catch (error) {
      this.logger.warn({ err: error }, 'rollout tick failed (retried at the next tick)');
    } finally {
      this.ticking = false;
    }
  }
}

/** Whether any node of the cluster still has pods assigned (a last grid was just deleted). */
async function anyPodsAssigned(db: SchemaQueries, clusterId: string): Promise<boolean> {
  const row = await db
    .selectFrom('proj_node_pods')
    .select('node')
    .where('cluster_id', '=', clusterId)
    .where(sql<boolean>`jsonb_array_length(pods) > 0`)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
