import { AggregateHandler, type Db, type EventStore, type Trx } from '@edgeplane/eventstore';
import { inSchema } from '../db/database.js';
import { addressOf } from '../projections/grids.projection.js';
import type { GridCommand } from './grid.decide.js';
import { gridDecider } from './grid.decider.js';
import type { GridEvent, GridState } from './grid.state.js';

/**
 * The Grid aggregate loaded from its snapshot: `proj_grids` holds the fold of the stream (written
 * by the inline projection in the same transaction as the events) and the stream version it
 * stands for, so a grid of 1,000 units — thousands of PodScheduled events — is one row read, not
 * the whole stream folded on every reconcile. The snapshot is used only when its version is the
 * stream's head (one indexed max() query); otherwise (a row written before the version was kept,
 * a deleted grid, a rebuild in progress) the stream is folded as before.
 */
export class GridSnapshotHandler extends AggregateHandler<GridState, GridCommand, GridEvent> {
  constructor(
    private readonly events: EventStore,
    private readonly db: Db,
    private readonly schema: string,
  ) {
    super(events, gridDecider);
  }

  override async load(streamId: string, trx?: Trx): Promise<{ state: GridState; version: number }> {
    const { clusterId, name } = addressOf(streamId);
    const row = await inSchema(trx ?? this.db, this.schema)
      .selectFrom('proj_grids')
      .select(['state', 'stream_version'])
      .where('cluster_id', '=', clusterId)
      .where('name', '=', name)
      .executeTakeFirst();
    if (row && row.stream_version !== null) {
      const head = await this.events.streamVersion(streamId, trx);
      if (head === row.stream_version) return { state: row.state, version: head };
    }
    return super.load(streamId, trx);
  }
}
