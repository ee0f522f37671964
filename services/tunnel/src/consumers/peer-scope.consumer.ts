import { Inject, Injectable } from '@nestjs/common';
import {
  HealthSettingsChanged,
  NodeMembershipChanged,
  UnitHealthCheckSwitched,
  type EnvelopeOf,
} from '@edgeplane/contracts';
import { JetStreamHandler, type HandlerContext } from '@edgeplane/messaging';
import { SCHEMA } from '@edgeplane/service-kit';
import {
  notifyDirectory,
  setMultiRegion,
  setUnits,
  switchUnitCheck,
} from '../read-model/directory.queries.js';

const HEALTH_SCOPE = [HealthSettingsChanged, UnitHealthCheckSwitched] as const;

/**
 * What a node's peer set is made of — the same rule the health-arbiter judges votes by: the
 * node's units (nodepool's NodeMembershipChanged), whether the cluster checks per unit
 * (multi-region) and which units have their check switched off (the arbiter's settings events).
 */
@Injectable()
export class PeerScopeConsumer {
  constructor(@Inject(SCHEMA) private readonly schema: string) {}

  @JetStreamHandler({ durable: 'tunnel__membership', events: [NodeMembershipChanged] })
  async onMembership(envelope: EnvelopeOf<typeof NodeMembershipChanged>, ctx: HandlerContext): Promise<void> {
    const d = envelope.data;
    await setUnits(ctx.trx, this.schema, {
      clusterId: d.clusterId,
      node: d.node,
      units: [...d.units].sort(),
      // the membership stream's version: an older full state delivered late never wins
      pos: d.streamVersion ?? envelope.streamPosition,
    });
    // A unit change moves the node between peer sets: its unit-mates' desired states change too.
    ctx.afterBatch(`notify:${d.clusterId}`, (t) => notifyDirectory(t, this.schema, d.clusterId));
  }

  @JetStreamHandler({ durable: 'tunnel__health-scope', events: HEALTH_SCOPE })
  async onHealthScope(envelope: EnvelopeOf<typeof HEALTH_SCOPE>, ctx: HandlerContext): Promise<void> {
    switch (envelope.type) {
      case 'HealthSettingsChanged': {
        const d = envelope.data;
        await setMultiRegion(ctx.trx, this.schema, {
          clusterId: d.clusterId,
          multiRegion: d.multiRegion,
          pos: envelope.streamPosition,
        });
        break;
      }
      case 'UnitHealthCheckSwitched': {
        const d = envelope.data;
        await switchUnitCheck(ctx.trx, this.schema, {
          clusterId: d.clusterId,
          unit: d.unit,
          enabled: d.enabled,
          pos: envelope.streamPosition,
        });
        break;
      }
    }
    const clusterId = envelope.data.clusterId;
    ctx.afterBatch(`notify:${clusterId}`, (t) => notifyDirectory(t, this.schema, clusterId));
  }
}
