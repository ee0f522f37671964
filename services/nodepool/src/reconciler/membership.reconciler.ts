import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import {
  AggregateHandler,
  type AnyDb,
  type EventStore,
  type StoredEvent,
  type Trx,
} from '@edgeplane/eventstore';
import { DomainError, VersionConflictError } from '@edgeplane/es-kit';
import type { Logger } from '@edgeplane/observability';
import { DB, EVENT_STORE, LOGGER, SCHEMA } from '@edgeplane/service-kit';
import {
  nodeUnitDecider,
  nodeUnitStreamId,
  type NodeUnitCommand,
  type NodeUnitEvent,
  type NodeUnitState,
} from '../node-unit/node-unit.decider.js';
import {
  nodeGroupDecider,
  nodeGroupStreamId,
  type NodeGroupCommand,
  type NodeGroupEvent,
  type NodeGroupState,
} from '../node-group/node-group.decider.js';
import {
  nodeMembershipDecider,
  nodeMembershipStreamId,
  type NodeMembershipCommand,
  type NodeMembershipEvent,
  type NodeMembershipState,
} from '../membership/node-membership.decider.js';
import { planReconcile } from '../membership/reconcile-plan.js';
import type { MembershipConflict } from '../membership/membership.engine.js';
import { NodepoolReadModel } from '../read-model/nodepool.read-model.js';

export interface ReconcileOutcome {
  events: StoredEvent[];
  conflicts: MembershipConflict[];
}

const MAX_ATTEMPTS = 4;
const MAX_AUTO_ROUNDS = 4;

/**
 * The nodepool write path. Every change to a cluster's units, groups or nodes runs in ONE
 * transaction that (1) takes the cluster's advisory lock, so commands and consumers of one cluster
 * never decide on a world another writer is changing, (2) runs the command through its decider
 * and appends, and (3) runs the membership reconciler, so members, group units and node label
 * layers are published in the same commit (a Get right after a Create shows the members).
 */
@Injectable()
export class NodepoolWriter {
  readonly units: AggregateHandler<NodeUnitState, NodeUnitCommand, NodeUnitEvent>;
  readonly groups: AggregateHandler<NodeGroupState, NodeGroupCommand, NodeGroupEvent>;
  readonly memberships: AggregateHandler<NodeMembershipState, NodeMembershipCommand, NodeMembershipEvent>;
  readonly read: NodepoolReadModel;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DB) private readonly db: AnyDb,
    @Inject(SCHEMA) private readonly schema: string,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.units = new AggregateHandler(store, nodeUnitDecider);
    this.groups = new AggregateHandler(store, nodeGroupDecider);
    this.memberships = new AggregateHandler(store, nodeMembershipDecider);
    this.read = new NodepoolReadModel(schema);
  }

  /** Serialises every writer of one cluster until the transaction ends. */
  async lockCluster(trx: Trx, clusterId: string): Promise<void> {
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`${this.schema}:${clusterId}`}, 0))`.execute(
      trx,
    );
  }

  /**
   * Runs `work` in a transaction holding the cluster's lock (or in the caller's transaction).
   * A version conflict (another process without the lock, e.g. a different schema version)
   * retries the whole transaction on fresh state.
   */
  async inCluster<T>(clusterId: string, work: (trx: Trx) => Promise<T>, trx?: Trx): Promise<T> {
    if (trx) {
      await this.lockCluster(trx, clusterId);
      return work(trx);
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction().execute(async (t) => {
          await this.lockCluster(t, clusterId);
          return work(t);
        });
      } catch (error) {
        if (error instanceof VersionConflictError && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  unit(trx: Trx, command: NodeUnitCommand) {
    return this.units.handle(nodeUnitStreamId(command.clusterId, unitName(command)), command, { trx });
  }

  group(trx: Trx, command: NodeGroupCommand) {
    return this.groups.handle(nodeGroupStreamId(command.clusterId, command.name), command, { trx });
  }

  /**
   * The membership reconciler: computes the cluster's desired state from scratch (world from the
   * read models, inside this transaction) and issues only the commands whose outcome differs from
   * what was published. Auto-found units are materialised first (then the plan is recomputed,
   * since they change the world). All deciders are idempotent: a second run appends nothing.
   */
  async reconcile(trx: Trx, clusterId: string, now: string): Promise<ReconcileOutcome> {
    const events: StoredEvent[] = [];
    const refused = new Set<string>();
    for (let round = 0; ; round++) {
      const world = await this.read.world(trx, clusterId);
      const published = await this.read.published(trx, clusterId);
      const plan = planReconcile(world, clusterId, now, published);
      const autoCommands = [...plan.createAutoUnits, ...plan.deleteAutoUnits].filter(
        (c) => !refused.has(`${c.type}:${c.name}`),
      );
      if (autoCommands.length > 0 && round < MAX_AUTO_ROUNDS) {
        for (const command of autoCommands) {
          try {
            events.push(...(await this.unit(trx, command)).events);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            // Node labels cannot be refused: an auto unit that would break a rule stays
            // unmaterialised and is reported, instead of blocking the cluster's event stream.
            refused.add(`${command.type}:${command.name}`);
            this.logger.warn({ clusterId, unit: command.name, reason: error.message }, 'auto unit skipped');
          }
        }
        continue;
      }
      for (const command of plan.units) events.push(...(await this.unit(trx, command)).events);
      for (const command of plan.groups) events.push(...(await this.group(trx, command)).events);
      for (const command of plan.nodes) {
        const result = await this.memberships.handle(
          nodeMembershipStreamId(clusterId, command.node),
          command,
          { trx },
        );
        events.push(...result.events);
      }
      if (plan.conflicts.length > 0) {
        this.logger.warn(
          { clusterId, conflicts: plan.conflicts },
          'membership conflicts (resolved by precedence)',
        );
      }
      return { events, conflicts: plan.conflicts };
    }
  }
}

function unitName(command: NodeUnitCommand): string {
  return command.type === 'EnsureDefaultNodeUnit' ? 'unit-node-all' : command.name;
}
