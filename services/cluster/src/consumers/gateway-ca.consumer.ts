import { Inject, Injectable } from '@nestjs/common';
import { GatewayCaPublished, type EnvelopeOf } from '@edgeplane/contracts';
import { JetStreamHandler, type HandlerContext } from '@edgeplane/messaging';
import { SCHEMA } from '@edgeplane/service-kit';
import { inSchema } from '../db/database.js';
import { recordGatewayCa } from '../read-model/gateway-cas.queries.js';

/**
 * The tunnel service's gateway CA, so the join command can pin it (docs/tunnel.md "Trust"): the
 * command carries its hash (`EDGEPLANE_CA_HASH`) and the serving key's pin (`curl --pinnedpubkey`).
 */
@Injectable()
export class GatewayCaConsumer {
  constructor(@Inject(SCHEMA) private readonly schema: string) {}

  @JetStreamHandler({ durable: 'cluster__gateway-ca', events: [GatewayCaPublished] })
  async onPublished(envelope: EnvelopeOf<typeof GatewayCaPublished>, { trx }: HandlerContext): Promise<void> {
    await recordGatewayCa(inSchema(trx, this.schema), envelope.data);
  }
}
