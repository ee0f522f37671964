import { Inject, Injectable } from '@nestjs/common';
import type { NodeVerdictChangedData, Verdict, VerdictRule } from '@edgeplane/contracts';
import { VersionConflictError } from '@edgeplane/es-kit';
import { AggregateHandler, type EventStore, type StreamAppend } from '@edgeplane/eventstore';
import type { Logger } from '@edgeplane/observability';
import { EVENT_STORE, LOGGER } from '@edgeplane/service-kit';
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

/**
 * Records the engines' verdict changes on the node-verdict streams: load → decide → append, with
 * the state and version of every stream known from what this instance recorded (seeded at
 * start from proj_verdicts), so a tick's changes — for any number of nodes — are decided in
 * memory and appended in ONE transaction with ONE guarded INSERT (`EventStore.appendMany`, the
 * same per-stream version check as `append`). If another writer moved a stream on, the batch
 * is rolled back and every change is recorded on its own on freshly read state
 * (`AggregateHandler`: withVersionRetry).
 */
@Injectable()
export class NodeVerdictHandler {
  private readonly recorded = new Map<string, RecordedVerdict>();
  private readonly verdicts: AggregateHandler<NodeVerdictState, NodeVerdictCommand, NodeVerdictEvent>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
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

  /** Records a tick's changes; returns the verdicts now recorded (a change already recorded is skipped). */
  async record(changes: readonly NodeVerdictChangedData[]): Promise<RecordedVerdict[]> {
    let done: RecordedVerdict[];
    try {
      done = await this.recordBatch(changes);
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      this.logger.warn({ err: error.message }, 'verdict stream moved on; recording one by one');
      done = await this.recordEach(changes);
    }
    for (const rec of done) this.recorded.set(keyOf(rec.clusterId, rec.node), rec);
    return done;
  }

  private async recordBatch(changes: readonly NodeVerdictChangedData[]): Promise<RecordedVerdict[]> {
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
    await this.store.appendMany(batch, ACTOR);
    return done;
  }

  /** The cache was stale (another writer): each change decided on its stream as it is now. */
  private async recordEach(changes: readonly NodeVerdictChangedData[]): Promise<RecordedVerdict[]> {
    const done: RecordedVerdict[] = [];
    for (const change of changes) {
      const streamId = nodeVerdictStreamId(change.clusterId, change.node);
      const result = await this.verdicts.handle(streamId, { type: 'RecordVerdict', change }, ACTOR);
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
