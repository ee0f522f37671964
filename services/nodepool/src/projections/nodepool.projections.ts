import { sql } from 'kysely';
import type { InlineProjection, StoredEvent, Trx } from '@edgeplane/eventstore';
import type { Decider } from '@edgeplane/es-kit';
import { nodeUnitDecider, type NodeUnitEvent, type NodeUnitState } from '../node-unit/node-unit.decider.js';
import {
  nodeGroupDecider,
  type NodeGroupEvent,
  type NodeGroupState,
} from '../node-group/node-group.decider.js';
import type { NodeMembershipEvent } from '../membership/node-membership.decider.js';
import type { NodeLayer } from '../membership/membership.engine.js';

export const UNIT_EVENTS = [
  'NodeUnitCreated',
  'NodeUnitUpdated',
  'NodeUnitDeleted',
  'NodeUnitMembersChanged',
  'KinsPromotionRequested',
  'NodeUnitUpgradedToK3s',
  'KinsClusterFailed',
  'KinsNodeJoinRequested',
  'KinsNodeLeaveRequested',
  'KinsPublicAccessEnabled',
  'KinsPublicAccessDisabled',
  'KinsDemotionRequested',
  'NodeUnitDemotedFromK3s',
] as const;
export const GROUP_EVENTS = [
  'NodeGroupCreated',
  'NodeGroupUpdated',
  'NodeGroupDeleted',
  'NodeGroupUnitsChanged',
] as const;

export type ActiveUnitState = Extract<NodeUnitState, { status: 'active' }>;
export type ActiveGroupState = Extract<NodeGroupState, { status: 'active' }>;

/** `nodeunit:<clusterId>:<name>` → [clusterId, name]; cluster ids contain no ':'. */
function addressOf(streamId: string): [string, string] {
  const first = streamId.indexOf(':');
  const second = streamId.indexOf(':', first + 1);
  return [streamId.slice(first + 1, second), streamId.slice(second + 1)];
}

/**
 * A read model that is the aggregate's own fold: the row holds the state `evolve` produces, so the
 * projection can never disagree with the decider. Deleted aggregates lose their row. The
 * `last_position` guard makes a replay over existing rows a no-op.
 */
function foldProjection<S extends { status: string }, E>(
  name: string,
  table: string,
  handles: readonly string[],
  decider: Decider<S, unknown, E>,
  schema: string,
): InlineProjection {
  const tbl = sql.id(schema, table);
  return {
    name,
    tables: [table],
    handles,
    async apply(trx: Trx, event: StoredEvent) {
      const [clusterId, key] = addressOf(event.streamId);
      const row = (
        await sql<{ state: S; last_position: number }>`
          SELECT state, last_position FROM ${tbl} WHERE cluster_id = ${clusterId} AND name = ${key} FOR UPDATE`.execute(
          trx,
        )
      ).rows[0];
      if (row && row.last_position >= event.globalPosition) return;
      const next = decider.evolve(row?.state ?? decider.initialState, {
        type: event.type,
        data: event.data,
      } as E);
      if (next.status !== 'active') {
        await sql`DELETE FROM ${tbl} WHERE cluster_id = ${clusterId} AND name = ${key}`.execute(trx);
        return;
      }
      await sql`
        INSERT INTO ${tbl} (cluster_id, name, state, last_position)
        VALUES (${clusterId}, ${key}, ${JSON.stringify(next)}::jsonb, ${event.globalPosition})
        ON CONFLICT (cluster_id, name) DO UPDATE SET state = excluded.state, last_position = excluded.last_position`.execute(
        trx,
      );
    },
  };
}

function membershipProjection(schema: string): InlineProjection {
  const tbl = sql.id(schema, 'proj_node_membership');
  return {
    name: 'nodepool.node-membership',
    tables: ['proj_node_membership'],
    handles: ['NodeMembershipChanged'],
    async apply(trx, event) {
      const d = (event as StoredEvent<NodeMembershipEvent['data']>).data;
      const layer: NodeLayer = {
        units: d.units,
        groups: d.groups,
        labels: d.labels,
        annotations: d.annotations,
        taints: d.taints,
      };
      await sql`
        INSERT INTO ${tbl} (cluster_id, node, layer, last_position)
        VALUES (${d.clusterId}, ${d.node}, ${JSON.stringify(layer)}::jsonb, ${event.globalPosition})
        ON CONFLICT (cluster_id, node) DO UPDATE SET layer = excluded.layer, last_position = excluded.last_position
        WHERE ${tbl}.last_position < excluded.last_position`.execute(trx);
    },
  };
}

/** Inline projections of the nodepool service, applied in every append's transaction. */
export function nodepoolProjections(schema: string): InlineProjection[] {
  return [
    foldProjection<NodeUnitState, NodeUnitEvent>(
      'nodepool.units',
      'proj_units',
      UNIT_EVENTS,
      nodeUnitDecider as Decider<NodeUnitState, unknown, NodeUnitEvent>,
      schema,
    ),
    foldProjection<NodeGroupState, NodeGroupEvent>(
      'nodepool.groups',
      'proj_groups',
      GROUP_EVENTS,
      nodeGroupDecider as Decider<NodeGroupState, unknown, NodeGroupEvent>,
      schema,
    ),
    membershipProjection(schema),
  ];
}
