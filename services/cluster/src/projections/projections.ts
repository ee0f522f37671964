import type { InlineProjection, StoredEvent, Trx } from '@edgeplane/eventstore';
import { sql } from 'kysely';
import {
  evolveCluster,
  initialClusterState,
  type ClusterEvent,
  type ClusterState,
} from '../cluster/cluster.decider.js';
import {
  evolveJoinToken,
  initialJoinTokenState,
  type JoinTokenEvent,
  type JoinTokenState,
} from '../join-token/join-token.decider.js';
import {
  evolveNode,
  initialNodeState,
  isSchedulable,
  type NodeEvent,
  type NodeState,
} from '../node/node.decider.js';

/**
 * Inline projections of the cluster service, applied in the append's transaction (a Get right
 * after a Create sees it) and rebuildable from position 0. Each row keeps the aggregate's folded
 * state (the deciders' own `evolve`, so the read model can never disagree with the write side)
 * plus the columns queries filter on; `last_position` makes a replayed event a no-op.
 */

const CLUSTER_EVENTS = [
  'ClusterCreated',
  'ClusterAdminCredentialIssued',
  'ClusterAccessChanged',
  'ClusterTierChanged',
  'ClusterAutoUpgradeChanged',
  'ClusterCapacityCordonsLifted',
  'ClusterNodeAdmitted',
  'ClusterNodeReleased',
  'ClusterUsageRecorded',
  'ClusterRemoteLoginChanged',
  'ClusterDeleted',
] as const;

const TOKEN_EVENTS = ['JoinTokenCreated', 'JoinTokenRevoked', 'JoinTokenRedeemed'] as const;

const NODE_EVENTS = [
  'NodeJoined',
  'NodeCredentialIssued',
  'NodeLabelsChanged',
  'NodeSystemLabelsChanged',
  'NodeTaintsChanged',
  'NodeSystemTaintsChanged',
  'NodeSystemAnnotationsChanged',
  'NodeCordoned',
  'NodeUncordoned',
  'NodeDrainRequested',
  'NodeGpuDevicePluginChanged',
  'NodeRemoved',
] as const;

const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;

export function clustersProjection(schema: string): InlineProjection {
  const table = sql.id(schema, 'proj_clusters');
  return {
    name: 'proj_clusters',
    tables: ['proj_clusters'],
    handles: CLUSTER_EVENTS,
    async apply(trx: Trx, event: StoredEvent) {
      const { clusterId } = event.data as { clusterId: string };
      const row = await trx
        .withSchema(schema)
        .selectFrom('proj_clusters')
        .select(['state', 'last_position'])
        .where('cluster_id', '=', clusterId)
        .executeTakeFirst();
      if (row && Number(row.last_position) >= event.globalPosition) return;
      if (event.type === 'ClusterDeleted') {
        await sql`DELETE FROM ${table} WHERE cluster_id = ${clusterId}`.execute(trx);
        return;
      }
      const before = (row?.state as ClusterState | undefined) ?? initialClusterState;
      const after = evolveCluster(before, { type: event.type, data: event.data } as ClusterEvent);
      if (after.status !== 'active') return;
      const s = after.spec;
      await sql`
        INSERT INTO ${table} (cluster_id, name, region, vpc_id, vpc_cidr, pod_cidr, service_cidr, created_at, state, last_position)
        VALUES (${clusterId}, ${s.name}, ${s.region}, ${s.vpcId}, ${s.vpcCidr}, ${s.podCidr}, ${s.serviceCidr},
                ${s.createdAt}::timestamptz, ${json(after)}, ${event.globalPosition})
        ON CONFLICT (cluster_id) DO UPDATE SET state = EXCLUDED.state, last_position = EXCLUDED.last_position`.execute(
        trx,
      );
    },
  };
}

export function joinTokensProjection(schema: string): InlineProjection {
  const table = sql.id(schema, 'proj_join_tokens');
  return {
    name: 'proj_join_tokens',
    tables: ['proj_join_tokens'],
    handles: [...TOKEN_EVENTS, 'ClusterDeleted'],
    async apply(trx: Trx, event: StoredEvent) {
      if (event.type === 'ClusterDeleted') {
        const { clusterId } = event.data as { clusterId: string };
        await sql`DELETE FROM ${table} WHERE cluster_id = ${clusterId}`.execute(trx);
        return;
      }
      const { tokenId } = event.data as { tokenId: string };
      const row = await trx
        .withSchema(schema)
        .selectFrom('proj_join_tokens')
        .selectAll()
        .where('token_id', '=', tokenId)
        .executeTakeFirst();
      if (row && Number(row.last_position) >= event.globalPosition) return;
      if (!row && event.type !== 'JoinTokenCreated') return; // its cluster was deleted
      let state: JoinTokenState = row
        ? {
            status: row.status as 'issued' | 'revoked',
            tokenId,
            clusterId: row.cluster_id as string,
            secretHash: '',
            ttlSeconds: row.ttl_seconds as number,
            expiresAt: (row.expires_at as Date).toISOString(),
            containerDir: row.container_dir as string,
            preInstallScript: row.has_pre_install_script ? 'x' : null,
            postInstallScript: row.has_post_install_script ? 'x' : null,
            createdAt: (row.created_at as Date).toISOString(),
            revokedAt: row.revoked_at ? (row.revoked_at as Date).toISOString() : null,
            redeemedBy: row.redeemed_by as string[],
          }
        : initialJoinTokenState;
      state = evolveJoinToken(state, { type: event.type, data: event.data } as JoinTokenEvent);
      if (state.status === 'absent') return;
      await sql`
        INSERT INTO ${table} (token_id, cluster_id, status, ttl_seconds, created_at, expires_at, revoked_at, container_dir,
                              has_pre_install_script, has_post_install_script, redeemed_by, last_position)
        VALUES (${tokenId}, ${state.clusterId}, ${state.status}, ${state.ttlSeconds}, ${state.createdAt}::timestamptz,
                ${state.expiresAt}::timestamptz, ${state.revokedAt}::timestamptz, ${state.containerDir},
                ${state.preInstallScript !== null}, ${state.postInstallScript !== null}, ${json(state.redeemedBy)},
                ${event.globalPosition})
        ON CONFLICT (token_id) DO UPDATE SET status = EXCLUDED.status, revoked_at = EXCLUDED.revoked_at,
          redeemed_by = EXCLUDED.redeemed_by, last_position = EXCLUDED.last_position`.execute(trx);
    },
  };
}

export function nodesProjection(schema: string): InlineProjection {
  const table = sql.id(schema, 'proj_nodes');
  const conditions = sql.id(schema, 'node_conditions');
  return {
    name: 'proj_nodes',
    tables: ['proj_nodes'],
    handles: [...NODE_EVENTS, 'ClusterDeleted'],
    async apply(trx: Trx, event: StoredEvent) {
      if (event.type === 'ClusterDeleted') {
        // F-CL-7: the nodes leave the read model with their cluster (their NodeRemoved follow).
        const { clusterId } = event.data as { clusterId: string };
        await sql`DELETE FROM ${table} WHERE cluster_id = ${clusterId}`.execute(trx);
        await sql`DELETE FROM ${conditions} WHERE cluster_id = ${clusterId}`.execute(trx);
        return;
      }
      const { clusterId, nodeName } = event.data as { clusterId: string; nodeName: string };
      const row = await trx
        .withSchema(schema)
        .selectFrom('proj_nodes')
        .select(['state', 'last_position'])
        .where('cluster_id', '=', clusterId)
        .where('node_name', '=', nodeName)
        .executeTakeFirst();
      if (row && Number(row.last_position) >= event.globalPosition) return;
      if (event.type === 'NodeRemoved') {
        await sql`DELETE FROM ${table} WHERE cluster_id = ${clusterId} AND node_name = ${nodeName}`.execute(
          trx,
        );
        await sql`DELETE FROM ${conditions} WHERE cluster_id = ${clusterId} AND node_name = ${nodeName}`.execute(
          trx,
        );
        return;
      }
      const before = (row?.state as NodeState | undefined) ?? initialNodeState;
      const after = evolveNode(before, { type: event.type, data: event.data } as NodeEvent);
      if (after.status !== 'present') return;
      await sql`
        INSERT INTO ${table} (cluster_id, node_name, joined_at, schedulable, state, last_position)
        VALUES (${clusterId}, ${nodeName}, ${after.joinedAt}::timestamptz, ${isSchedulable(after)}, ${json(after)},
                ${event.globalPosition})
        ON CONFLICT (cluster_id, node_name) DO UPDATE SET joined_at = EXCLUDED.joined_at,
          schedulable = EXCLUDED.schedulable, state = EXCLUDED.state, last_position = EXCLUDED.last_position`.execute(
        trx,
      );
    },
  };
}

export function clusterProjections(schema: string): InlineProjection[] {
  return [clustersProjection(schema), joinTokensProjection(schema), nodesProjection(schema)];
}
