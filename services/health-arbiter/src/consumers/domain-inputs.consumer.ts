import { Inject, Injectable } from '@nestjs/common';
import {
  ClusterCreated,
  ClusterDeleted,
  HealthSettingsChanged,
  NodeJoined,
  NodeMembershipChanged,
  NodeRemoved,
  UnitHealthCheckSwitched,
  type EnvelopeOf,
} from '@edgeplane/contracts';
import { JetStreamHandler, type HandlerContext } from '@edgeplane/messaging';
import { SCHEMA } from '@edgeplane/service-kit';
import { sql } from 'kysely';
import { HealthArbiter, settingsFromRow } from '../runtime/health-arbiter.runtime.js';
import { partitionDurable } from './partition-durable.js';

/**
 * The arbiter's domain inputs, through durable consumers (inbox + ack after commit): the cluster
 * service's ClusterCreated/ClusterDeleted/NodeJoined/NodeRemoved, nodepool's NodeMembershipChanged
 * (`units`), and its own settings events (so an instance that did not serve the SetConfig call
 * learns of it). Each handler updates the read model in the consumer's transaction and mirrors the
 * resulting row into the in-memory engine; both are idempotent upserts, so a redelivery — or a
 * rolled-back batch that is retried — is harmless.
 */
const CLUSTER_INPUTS = [ClusterCreated, ClusterDeleted, NodeJoined, NodeRemoved] as const;
const SETTINGS = [HealthSettingsChanged, UnitHealthCheckSwitched] as const;

@Injectable()
export class DomainInputsConsumer {
  constructor(
    @Inject(SCHEMA) private readonly schema: string,
    @Inject(HealthArbiter) private readonly arbiter: HealthArbiter,
  ) {}

  @JetStreamHandler({ durable: partitionDurable('health-arbiter__cluster-events'), events: CLUSTER_INPUTS })
  async onClusterEvent(envelope: EnvelopeOf<typeof CLUSTER_INPUTS>, { trx }: HandlerContext): Promise<void> {
    const clusters = sql.id(this.schema, 'proj_health_clusters');
    const nodes = sql.id(this.schema, 'proj_health_nodes');
    switch (envelope.type) {
      case 'ClusterCreated': {
        const d = envelope.data;
        await sql`
          INSERT INTO ${clusters} (cluster_id, name, deleted, created_at) VALUES (${d.clusterId}, ${d.name}, false, ${d.createdAt})
          ON CONFLICT (cluster_id) DO UPDATE SET name = excluded.name`.execute(trx);
        await this.arbiter.clusterCreated(d.clusterId, trx);
        return;
      }
      case 'ClusterDeleted': {
        const d = envelope.data;
        await sql`UPDATE ${clusters} SET deleted = true WHERE cluster_id = ${d.clusterId}`.execute(trx);
        await sql`DELETE FROM ${nodes} WHERE cluster_id = ${d.clusterId}`.execute(trx);
        this.arbiter.clusterDeleted(d.clusterId);
        return;
      }
      case 'NodeJoined': {
        const d = envelope.data;
        const row = await sql<{ units: string[] }>`
          INSERT INTO ${nodes} (cluster_id, node, present, joined_at) VALUES (${d.clusterId}, ${d.nodeName}, true, ${d.joinedAt})
          ON CONFLICT (cluster_id, node) DO UPDATE SET present = true, joined_at = excluded.joined_at
          RETURNING units`.execute(trx);
        this.arbiter.syncNode(d.clusterId, d.nodeName, {
          present: true,
          joinedAt: new Date(d.joinedAt),
          units: row.rows[0]?.units ?? [],
        });
        return;
      }
      case 'NodeRemoved': {
        const d = envelope.data;
        await sql`
          UPDATE ${nodes} SET present = false, joined_at = NULL
          WHERE cluster_id = ${d.clusterId} AND node = ${d.nodeName}`.execute(trx);
        this.arbiter.syncNode(d.clusterId, d.nodeName, { present: false, joinedAt: null, units: [] });
        return;
      }
    }
  }

  @JetStreamHandler({ durable: partitionDurable('health-arbiter__membership'), events: [NodeMembershipChanged] })
  async onMembership(envelope: EnvelopeOf<typeof NodeMembershipChanged>, { trx }: HandlerContext): Promise<void> {
    const d = envelope.data;
    const row = await sql<{ present: boolean; joined_at: Date | null; units: string[] }>`
      INSERT INTO ${sql.id(this.schema, 'proj_health_nodes')} (cluster_id, node, units)
      VALUES (${d.clusterId}, ${d.node}, ${d.units}::text[])
      ON CONFLICT (cluster_id, node) DO UPDATE SET units = excluded.units
      RETURNING present, joined_at, units`.execute(trx);
    const r = row.rows[0];
    if (r)
      this.arbiter.syncNode(d.clusterId, d.node, {
        present: r.present,
        joinedAt: r.joined_at,
        units: r.units,
      });
  }

  @JetStreamHandler({ durable: partitionDurable('health-arbiter__settings'), events: SETTINGS })
  async onSettings(envelope: EnvelopeOf<typeof SETTINGS>, { trx }: HandlerContext): Promise<void> {
    const { clusterId } = envelope.data;
    if (!this.arbiter.engine(clusterId)) return;
    // The inline projection is committed with the event: it holds the settings now in force.
    const row = (
      await sql<Parameters<typeof settingsFromRow>[0] & object>`
        SELECT * FROM ${sql.id(this.schema, 'proj_health_settings')} WHERE cluster_id = ${clusterId}`.execute(
        trx,
      )
    ).rows[0];
    this.arbiter.applySettings(clusterId, settingsFromRow(row));
  }
}
