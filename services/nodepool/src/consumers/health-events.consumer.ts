import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { NodeVerdictChanged, type EnvelopeOf } from '@edgeplane/contracts';
import { JetStreamHandler, type HandlerContext } from '@edgeplane/messaging';
import { SCHEMA } from '@edgeplane/service-kit';

/**
 * Health-arbiter verdicts → node readiness for unit status (F-NP-3). Unit status is computed at
 * read time from unit members and this table, so it is current as soon as a verdict lands and
 * never turns a heartbeat into a nodepool domain event. Verdicts apply in order of their `at`
 * (a late redelivery of an older verdict does not overwrite a newer one).
 */
@Injectable()
export class HealthEventsConsumer {
  constructor(@Inject(SCHEMA) private readonly schema: string) {}

  @JetStreamHandler({ durable: 'nodepool__health-events', events: [NodeVerdictChanged] })
  async onHealthEvent(envelope: EnvelopeOf<typeof NodeVerdictChanged>, { trx }: HandlerContext): Promise<void> {
    const d = envelope.data;
    const tbl = sql.id(this.schema, 'proj_node_health');
    await sql`
      INSERT INTO ${tbl} (cluster_id, node, verdict, at) VALUES (${d.clusterId}, ${d.node}, ${d.verdict}, ${d.at})
      ON CONFLICT (cluster_id, node) DO UPDATE SET verdict = excluded.verdict, at = excluded.at
      WHERE ${tbl}.at <= excluded.at`.execute(trx);
  }
}
