import { Inject, Injectable } from '@nestjs/common';
import { AggregateHandler, type EventStore, type Trx } from '@edgeplane/eventstore';
import { DomainError } from '@edgeplane/es-kit';
import type { Logger } from '@edgeplane/observability';
import { EVENT_STORE, LOGGER, SCHEMA } from '@edgeplane/service-kit';
import { inSchema } from '../db/database.js';
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
} from '../node-membership/node-membership.decider.js';
import { publishedOf, worldOf } from '../read-model/world.queries.js';
import { planReconcile } from './reconcile-plan.js';

const MAX_AUTO_ROUNDS = 4;

/**
 * The membership reconciler, run after every change to a cluster's units, groups or nodes, in the
 * same transaction (under the cluster's lock): computes the cluster's desired state from scratch
 * (world from the read models, inside this transaction) and issues only the commands whose
 * outcome differs from what was published — members, group units and node label layers commit
 * with the change (a Get right after a Create shows the members). Auto-found units are
 * materialised first (then the plan is recomputed, since they change the world). All deciders
 * are idempotent: a second run appends nothing.
 */
@Injectable()
export class MembershipReconciler {
  private readonly units: AggregateHandler<NodeUnitState, NodeUnitCommand, NodeUnitEvent>;
  private readonly groups: AggregateHandler<NodeGroupState, NodeGroupCommand, NodeGroupEvent>;
  private readonly memberships: AggregateHandler<
    NodeMembershipState,
    NodeMembershipCommand,
    NodeMembershipEvent
  >;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(SCHEMA) private readonly schema: string,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.units = new AggregateHandler(store, nodeUnitDecider);
    this.groups = new AggregateHandler(store, nodeGroupDecider);
    this.memberships = new AggregateHandler(store, nodeMembershipDecider);
  }

  async reconcile(trx: Trx, clusterId: string, now: string): Promise<void> {
    const db = inSchema(trx, this.schema);
    const refused = new Set<string>();
    for (let round = 0; ; round++) {
      const world = await worldOf(db, clusterId);
      const published = await publishedOf(db, clusterId);
      const plan = planReconcile(world, clusterId, now, published);
      const autoCommands = [...plan.createAutoUnits, ...plan.deleteAutoUnits].filter(
        (c) => !refused.has(`${c.type}:${c.name}`),
      );
      if (autoCommands.length > 0 && round < MAX_AUTO_ROUNDS) {
        for (const command of autoCommands) {
          try {
            await this.units.handle(nodeUnitStreamId(clusterId, command.name), command, { trx });
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
      for (const command of plan.units)
        await this.units.handle(nodeUnitStreamId(clusterId, command.name), command, { trx });
      for (const command of plan.groups)
        await this.groups.handle(nodeGroupStreamId(clusterId, command.name), command, { trx });
      for (const command of plan.nodes)
        await this.memberships.handle(nodeMembershipStreamId(clusterId, command.node), command, { trx });
      if (plan.conflicts.length > 0) {
        this.logger.warn(
          { clusterId, conflicts: plan.conflicts },
          'membership conflicts (resolved by precedence)',
        );
      }
      return;
    }
  }
}
