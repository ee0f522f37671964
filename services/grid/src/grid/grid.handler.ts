import { Inject, Injectable } from '@nestjs/common';
import { AggregateHandler, type EventStore, type Trx } from '@edgeplane/eventstore';
import { EVENT_STORE } from '@edgeplane/service-kit';
import type { SchemaQueries } from '../db/database.js';
import { parseGridYaml } from '../domain/index.js';
import { resolveCluster } from '../read-model/clusters.queries.js';
import { getGrid } from '../read-model/grids.queries.js';
import { ClusterLock } from '../reconciler/cluster-lock.js';
import { GridReconciler } from '../reconciler/grid.reconciler.js';
import { CLOCK, SCHEMA_QUERIES, type Clock } from '../tokens.js';
import {
  gridDecider,
  gridStreamId,
  type GridCommand,
  type GridEvent,
  type GridState,
} from './grid.decider.js';
import type { ActiveGridState, Manifest } from './grid.state.js';

export interface ApplyInput {
  cluster: string;
  yaml: string;
  dryRun: boolean;
}

export interface AppliedGrid {
  kind: string;
  name: string;
  action: 'created' | 'updated' | 'unchanged';
  generation: number;
}

export interface GridRef {
  cluster: string;
  name: string;
}

class DryRunRollback extends Error {
  constructor(readonly applied: AppliedGrid[]) {
    super('dry run');
  }
}

/**
 * Application service of the Grid aggregate: resolves the cluster, parses and validates the YAML
 * with the domain parser before any database work (a bad document is INVALID_ARGUMENT naming its
 * field and nothing is stored), then decides and appends under the cluster's lock and runs the
 * reconciler in the same transaction, so the answer already has the children and placements.
 */
@Injectable()
export class GridHandler {
  private readonly grids: AggregateHandler<GridState, GridCommand, GridEvent>;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(SCHEMA_QUERIES) private readonly db: SchemaQueries,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ClusterLock) private readonly lock: ClusterLock,
    @Inject(GridReconciler) private readonly reconciler: GridReconciler,
  ) {
    this.grids = new AggregateHandler(store, gridDecider);
  }

  async apply(input: ApplyInput): Promise<AppliedGrid[]> {
    const { grids } = parseGridYaml(input.yaml);
    const { clusterId } = await resolveCluster(this.db, input.cluster);
    const now = this.clock().toISOString();
    try {
      return await this.lock.run(clusterId, async (trx) => {
        const applied: AppliedGrid[] = [];
        for (const { grid } of grids) {
          const name = grid.metadata.name;
          // The parsed grid is plain JSON data (domain/types.ts); the event carries it as an object.
          const manifest = JSON.parse(JSON.stringify(grid)) as Manifest;
          const result = await this.grids.handle(
            gridStreamId(clusterId, name),
            {
              type: 'ApplyGrid',
              clusterId,
              name,
              now,
              kind: grid.kind,
              gridUniqKey: grid.spec.gridUniqKey,
              manifest,
            },
            { trx },
          );
          const created = result.events.length > 0 && result.version === 1;
          applied.push({
            kind: grid.kind,
            name,
            action: result.events.length === 0 ? 'unchanged' : created ? 'created' : 'updated',
            generation: result.state.status === 'active' ? result.state.generation : 0,
          });
        }
        await this.reconciler.reconcile(trx, clusterId);
        if (input.dryRun) throw new DryRunRollback(applied);
        return applied;
      });
    } catch (error) {
      if (error instanceof DryRunRollback) return error.applied;
      throw error;
    }
  }

  async delete(ref: GridRef): Promise<void> {
    await this.write(ref, 'DeleteGrid');
  }

  pause(ref: GridRef): Promise<ActiveGridState> {
    return this.write(ref, 'PauseRollout');
  }

  resume(ref: GridRef): Promise<ActiveGridState> {
    return this.write(ref, 'ResumeRollout');
  }

  undo(ref: GridRef): Promise<ActiveGridState> {
    return this.write(ref, 'UndoRollout');
  }

  /** One command on the grid's stream, then a reconcile; answers the grid as it now stands. */
  private async write(
    ref: GridRef,
    type: 'DeleteGrid' | 'PauseRollout' | 'ResumeRollout' | 'UndoRollout',
  ): Promise<ActiveGridState> {
    const { clusterId } = await resolveCluster(this.db, ref.cluster);
    const now = this.clock().toISOString();
    return this.lock.run(clusterId, async (trx: Trx, db) => {
      const before = await getGrid(db, clusterId, ref.name);
      await this.grids.handle(
        gridStreamId(clusterId, ref.name),
        { type, clusterId, name: ref.name, now },
        { trx },
      );
      await this.reconciler.reconcile(trx, clusterId);
      return type === 'DeleteGrid' ? before : getGrid(db, clusterId, ref.name);
    });
  }
}
