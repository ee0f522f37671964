import { Inject, Injectable } from '@nestjs/common';
import { AggregateHandler, type Db, type EventStore } from '@edgeplane/eventstore';
import { DB, EVENT_STORE, SCHEMA } from '@edgeplane/service-kit';
import { inSchema, type SchemaQueries } from '../db/database.js';
import { resolveCluster } from '../read-model/clusters.queries.js';
import { healthConfig, type HealthConfigView } from '../read-model/settings.queries.js';
import { HealthArbiter } from '../runtime/health-arbiter.runtime.js';
import { CLOCK, type Clock } from '../tokens.js';
import {
  healthSettingsDecider,
  healthSettingsStreamId,
  type ConfigureHealth,
  type HealthSettingsCommand,
  type HealthSettingsEvent,
  type HealthSettingsState,
  type SetUnitHealthCheck,
} from './settings.decider.js';

/** A settings command as a caller gives it: the handler adds the cluster id and the time. */
type Input<C> = Omit<C, 'type' | 'clusterId' | 'now'>;

/**
 * The HealthSettings aggregate's handler (a cluster by name or id): stamps the command with the
 * clock, then load → decide → append with the version read (`AggregateHandler`:
 * withVersionRetry). The settings in force afterwards reach this instance's engine at once;
 * other replicas learn them through the settings consumer.
 */
@Injectable()
export class HealthSettingsHandler {
  private readonly settings: AggregateHandler<
    HealthSettingsState,
    HealthSettingsCommand,
    HealthSettingsEvent
  >;
  private readonly q: SchemaQueries;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(DB) db: Db,
    @Inject(SCHEMA) schema: string,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(HealthArbiter) private readonly arbiter: HealthArbiter,
  ) {
    this.settings = new AggregateHandler(store, healthSettingsDecider);
    this.q = inSchema(db, schema);
  }

  /** GetConfig: the settings in force (the defaults until changed). */
  async config(clusterRef: string): Promise<HealthConfigView> {
    return healthConfig(this.q, await resolveCluster(this.q, clusterRef));
  }

  /** SetConfig: absent fields keep their value. */
  async configure(clusterRef: string, input: Input<ConfigureHealth>): Promise<HealthConfigView> {
    const clusterId = await resolveCluster(this.q, clusterRef);
    await this.handle({ type: 'ConfigureHealth', clusterId, ...input, now: this.clock().toISOString() });
    return healthConfig(this.q, clusterId);
  }

  /** SetUnitHealthCheck: a unit's health-check switch. */
  async switchUnitCheck(clusterRef: string, input: Input<SetUnitHealthCheck>): Promise<HealthConfigView> {
    const clusterId = await resolveCluster(this.q, clusterRef);
    await this.handle({ type: 'SetUnitHealthCheck', clusterId, ...input, now: this.clock().toISOString() });
    return healthConfig(this.q, clusterId);
  }

  private async handle(command: HealthSettingsCommand): Promise<void> {
    const result = await this.settings.handle(healthSettingsStreamId(command.clusterId), command, {
      metadata: { actor: command.actor },
    });
    this.arbiter.applySettings(command.clusterId, result.state.settings);
  }
}
