import { Inject, Injectable } from '@nestjs/common';
import { VersionConflictError } from '@edgeplane/es-kit';
import { withVersionRetry, type Db, type EventStore, type StreamAppend } from '@edgeplane/eventstore';
import type { Logger } from '@edgeplane/observability';
import { DB, EVENT_STORE, LOGGER, SCHEMA } from '@edgeplane/service-kit';
import { connectionSnapshots, type ConnectionSnapshot } from '../read-model/connections.queries.js';
import {
  connectionDecider,
  connectionStreamId,
  type ConnectionCommand,
  type ConnectionEvent,
  type ConnectionState,
} from './connection.decider.js';

const BATCH = 500;
const LINGER_MS = 50;

/**
 * Records NodeConnected/NodeDisconnected. Sessions come and go by the thousand when a replica
 * restarts, so commands are queued and appended together: one snapshot query and ONE guarded
 * INSERT (`appendMany`) for up to 500 nodes. A node's state comes from its snapshot
 * (proj_tunnel_connections, kept in the append's transaction) instead of folding a stream that
 * grows by two events per connection. A lost race (another replica recorded the same node) falls
 * back to one load → decide → append per node, with retries. Commands for one node keep their order.
 */
@Injectable()
export class ConnectionHandler {
  private queue: ConnectionCommand[] = [];
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private idle: (() => void)[] = [];

  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(SCHEMA) private readonly schema: string,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  record(command: ConnectionCommand): void {
    this.queue.push(command);
    if (this.queue.length >= BATCH) this.kick();
    else this.timer ??= setTimeout(() => this.kick(), LINGER_MS);
  }

  /** Resolves once everything queued so far is recorded (shutdown, tests). */
  settled(): Promise<void> {
    if (this.queue.length === 0 && !this.running) return Promise.resolve();
    this.kick();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private kick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.queue.length > 0) this.timer ??= setTimeout(() => this.kick(), LINGER_MS);
      else for (const resolve of this.idle.splice(0)) resolve();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, BATCH);
      try {
        await this.appendBatch(batch);
      } catch (error) {
        if (error instanceof VersionConflictError) {
          for (const command of batch) await this.appendOne(command).catch((e) => this.failed(command, e));
        } else {
          // the database is away: keep the commands (in order) and try again shortly
          this.queue.unshift(...batch);
          this.logger.error({ err: (error as Error).message }, 'recording connections failed; retrying');
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    }
  }

  private async appendBatch(batch: ConnectionCommand[]): Promise<void> {
    const byStream = new Map<string, ConnectionCommand[]>();
    for (const c of batch) {
      const id = connectionStreamId(c.clusterId, c.nodeName);
      byStream.set(id, [...(byStream.get(id) ?? []), c]);
    }
    const snapshots = await connectionSnapshots(
      this.db,
      this.schema,
      [...byStream.values()].map((cs) => cs[0]!),
    );
    const byId = new Map(snapshots.map((s) => [connectionStreamId(s.cluster_id, s.node), s]));
    const appends: StreamAppend[] = [];
    for (const [streamId, commands] of byStream) {
      const snapshot = byId.get(streamId);
      let state = stateOf(snapshot);
      const events: ConnectionEvent[] = [];
      for (const command of commands) {
        const decided = connectionDecider.decide(command, state);
        for (const e of decided) state = connectionDecider.evolve(state, e);
        events.push(...decided);
      }
      if (events.length > 0)
        appends.push({ streamId, expectedVersion: snapshot?.stream_version ?? 0, events });
    }
    if (appends.length > 0) await this.store.appendMany(appends, { metadata: { actor: 'tunnel' } });
  }

  private async appendOne(command: ConnectionCommand): Promise<void> {
    const streamId = connectionStreamId(command.clusterId, command.nodeName);
    await withVersionRetry(async () => {
      const [snapshot] = await connectionSnapshots(this.db, this.schema, [command]);
      const events = connectionDecider.decide(command, stateOf(snapshot));
      await this.store.append(streamId, snapshot?.stream_version ?? 0, events, {
        metadata: { actor: 'tunnel' },
      });
    });
  }

  private failed(command: ConnectionCommand, error: unknown): void {
    this.logger.error(
      { err: (error as Error).message, node: command.nodeName, command: command.type },
      'recording a connection failed',
    );
  }
}

function stateOf(snapshot: ConnectionSnapshot | undefined): ConnectionState {
  if (!snapshot?.connected) return { status: 'disconnected' };
  return {
    status: 'connected',
    sessionId: snapshot.session_id,
    replica: snapshot.replica,
    since: snapshot.since.toISOString(),
  };
}
