import { Inject, Injectable } from '@nestjs/common';
import {
  signalPartition,
  type NodeVerdictChangedData,
  type Verdict,
  type VerdictRule,
} from '@edgeplane/contracts';
import { VersionConflictError } from '@edgeplane/es-kit';
import {
  AggregateHandler,
  type Db,
  type EventStore,
  type StreamAppend,
  type Trx,
} from '@edgeplane/eventstore';
import type { Logger } from '@edgeplane/observability';
import { DB, EVENT_STORE, LOGGER, SCHEMA } from '@edgeplane/service-kit';
import { inSchema } from '../db/database.js';
import { lockFences } from '../read-model/fences.queries.js';
import {
  nodeVerdictDecider,
  nodeVerdictStreamId,
  type NodeVerdictCommand,
  type NodeVerdictEvent,
  type NodeVerdictState,
} from './verdict.decider.js';

/** What is persisted on a node's verdict stream, cached so recording needs no read-back. */
export interface RecordedVerdict {
  clusterId: string;
  node: string;
  /** the stream's version */
  version: number;
  verdict: Verdict;
  rule: VerdictRule;
  since: string;
}

const ACTOR = { metadata: { actor: 'health-arbiter' } };

/** What a fenced recording did: the verdicts recorded, and the partitions whose fence refused. */
export interface RecordOutcome {
  recorded: RecordedVerdict[];
  /** partitions another instance holds now (fence epoch ≠ ours): their changes were not written */
  fenced: number[];
}

/**
 * Records the engines' verdict changes on the node-verdict streams: load → decide → append, with
 * the state and version of every stream known from what this instance recorded (seeded at
 * start from proj_verdicts), so a tick's changes — for any number of nodes — are decided in
 * memory and appended in ONE transaction with ONE guarded INSERT (`EventStore.appendMany`, the
 * same per-stream version check as `append`). If another writer moved a stream on, the batch
 * is rolled back and every change is recorded on its own on freshly read state.
 *
 * Fenced: the transaction first reads the fence of every partition it writes for
 * (health_partition_fences, FOR SHARE) and writes only the changes of partitions whose fence
 * still holds the epoch this instance leased them under. A takeover raises the fence, so once
 * it has, a verdict decided under the lost lease is refused; and it waits for an append in
 * flight, so the new holder loads state that includes it.
 */
@Injectable()
export class NodeVerdictHandler {
  private readonly recorded = new Map<string, RecordedVerdict>();
  private readonly verdicts: AggregateHandler<NodeVerdictState, NodeVerdictCommand, NodeVerdictEvent>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DB) private readonly db: Db,
    @Inject(SCHEMA) private readonly schema: string,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.verdicts = new AggregateHandler(store, nodeVerdictDecider);
  }

  /** Start-up: what the verdict streams hold (as projected). */
  remember(verdicts: Iterable<RecordedVerdict>): void {
    for (const v of verdicts) this.recorded.set(keyOf(v.clusterId, v.node), v);
  }

  forgetCluster(clusterId: string): void {
    for (const key of this.recorded.keys())
      if (key.startsWith(`${clusterId}\u0000`)) this.recorded.delete(key);
  }

  /**
   * Records a tick's changes under the fences of their partitions (`epochs`: partition → the epoch
   * this instance holds it under). Returns the verdicts now recorded (a change already recorded is
   * skipped) and the partitions whose fence refused.
   */
  async record(
    changes: readonly NodeVerdictChangedData[],
    epochs: ReadonlyMap<number, number>,
  ): Promise<RecordOutcome> {
    let outcome: RecordOutcome;
    try {
      outcome = await this.fenced(changes, epochs, (trx, allowed) => this.recordBatch(allowed, trx));
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      this.logger.warn({ err: error.message }, 'verdict stream moved on; recording one by one');
      outcome = await this.fenced(changes, epochs, (trx, allowed) => this.recordEach(allowed, trx));
    }
    for (const rec of outcome.recorded) this.recorded.set(keyOf(rec.clusterId, rec.node), rec);
    return outcome;
  }

  /** One transaction: lock the fences, drop the changes of fenced-off partitions, write the rest. */
  private async fenced(
    changes: readonly NodeVerdictChangedData[],
    epochs: ReadonlyMap<number, number>,
    write: (trx: Trx, allowed: NodeVerdictChangedData[]) => Promise<RecordedVerdict[]>,
  ): Promise<RecordOutcome> {
    const byPartition = new Map<number, NodeVerdictChangedData[]>();
    for (const c of changes) {
      const p = signalPartition(c.clusterId);
      const list = byPartition.get(p) ?? [];
      list.push(c);
      byPartition.set(p, list);
    }
    return this.db.transaction().execute(async (trx) => {
      const fences = await lockFences(inSchema(trx, this.schema), [...byPartition.keys()]);
      const allowed: NodeVerdictChangedData[] = [];
      const fenced: number[] = [];
      for (const [p, list] of byPartition) {
        const mine = epochs.get(p);
        if (mine !== undefined && fences.get(p) === mine) allowed.push(...list);
        else fenced.push(p);
      }
      if (fenced.length > 0) {
        this.logger.warn(
          { partitions: fenced, refused: changes.length - allowed.length },
          'verdicts refused: the partition is fenced by a newer lease',
        );
      }
      const recorded = allowed.length > 0 ? await write(trx, allowed) : [];
      return { recorded, fenced };
    });
  }

  private async recordBatch(
    changes: readonly NodeVerdictChangedData[],
    trx: Trx,
  ): Promise<RecordedVerdict[]> {
    const batch: StreamAppend[] = [];
    const done: RecordedVerdict[] = [];
    for (const change of changes) {
      const known = this.recorded.get(keyOf(change.clusterId, change.node));
      const state: NodeVerdictState = known
        ? {
            status: 'judged',
            clusterId: known.clusterId,
            node: known.node,
            verdict: known.verdict,
            rule: known.rule,
            since: known.since,
            version: known.version,
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
        clusterId: change.clusterId,
        node: change.node,
        version: version + events.length,
        verdict: change.verdict,
        rule: change.rule,
        since: change.at,
      });
    }
    if (batch.length > 0) await this.store.appendMany(batch, { ...ACTOR, trx });
    return done;
  }

  /** The cache was stale (another writer): each change decided on its stream as it is now. */
  private async recordEach(changes: readonly NodeVerdictChangedData[], trx: Trx): Promise<RecordedVerdict[]> {
    const done: RecordedVerdict[] = [];
    for (const change of changes) {
      const streamId = nodeVerdictStreamId(change.clusterId, change.node);
      const result = await this.verdicts.handle(
        streamId,
        { type: 'RecordVerdict', change },
        { ...ACTOR, trx },
      );
      if (result.state.status === 'judged') {
        const s = result.state;
        done.push({
          clusterId: s.clusterId,
          node: s.node,
          version: result.version,
          verdict: s.verdict,
          rule: s.rule,
          since: s.since,
        });
      }
    }
    return done;
  }
}

function keyOf(clusterId: string, node: string): string {
  return `${clusterId}\u0000${node}`;
}
