import { Inject, Injectable } from '@nestjs/common';
import { NodeVerdictChanged, type EnvelopeOf } from '@edgeplane/contracts';
import { JetStreamHandler, type HandlerContext } from '@edgeplane/messaging';
import { SCHEMA } from '@edgeplane/service-kit';
import { inSchema } from '../db/database.js';
import { recordVerdict } from '../read-model/node-health.queries.js';

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
  async onHealthEvent(
    envelope: EnvelopeOf<typeof NodeVerdictChanged>,
    { trx }: HandlerContext,
  ): Promise<void> {
    await recordVerdict(inSchema(trx, this.schema), envelope.data);
  }
}
