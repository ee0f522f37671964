import { HealthSettingsChanged, UnitHealthCheckSwitched } from '@edgeplane/contracts';
import { defineProjection, type InlineProjection } from '@edgeplane/eventstore';
import { sql } from 'kysely';
import { inSchema } from '../db/database.js';
import { DEFAULT_HEALTH_SETTINGS } from '../settings/settings.state.js';

/**
 * proj_health_settings: one row per cluster whose settings were ever changed (absent = defaults).
 * Applied in the append's transaction, so GetConfig right after SetConfig sees the change; the
 * `last_position` guard makes a replay (rebuild) a no-op.
 */
export function settingsProjection(schema: string): InlineProjection {
  const d = DEFAULT_HEALTH_SETTINGS;
  return defineProjection({
    name: 'health-settings',
    tables: ['proj_health_settings'],
    events: [HealthSettingsChanged, UnitHealthCheckSwitched],
    async apply(trx, event) {
      const db = inSchema(trx, schema);
      switch (event.type) {
        case 'HealthSettingsChanged': {
          const e = event.data;
          await db
            .insertInto('proj_health_settings')
            .values({
              cluster_id: e.clusterId,
              multi_region: e.multiRegion,
              no_eviction: e.noEviction,
              grace_seconds: e.graceSeconds,
              vote_ttl_seconds: e.voteTtlSeconds,
              disabled_units: [],
              changed_by: e.actor,
              changed_at: e.at,
              last_position: event.globalPosition,
            })
            .onConflict((oc) =>
              oc
                .column('cluster_id')
                .doUpdateSet((eb) => ({
                  multi_region: eb.ref('excluded.multi_region'),
                  no_eviction: eb.ref('excluded.no_eviction'),
                  grace_seconds: eb.ref('excluded.grace_seconds'),
                  vote_ttl_seconds: eb.ref('excluded.vote_ttl_seconds'),
                  changed_by: eb.ref('excluded.changed_by'),
                  changed_at: eb.ref('excluded.changed_at'),
                  last_position: eb.ref('excluded.last_position'),
                }))
                .whereRef('proj_health_settings.last_position', '<', 'excluded.last_position'),
            )
            .execute();
          return;
        }
        case 'UnitHealthCheckSwitched': {
          const e = event.data;
          const unit = sql<string>`${e.unit}::text`;
          const current = sql.ref<string[]>('proj_health_settings.disabled_units');
          await db
            .insertInto('proj_health_settings')
            .values({
              cluster_id: e.clusterId,
              multi_region: d.multiRegion,
              no_eviction: d.noEviction,
              grace_seconds: d.graceSeconds,
              vote_ttl_seconds: d.voteTtlSeconds,
              disabled_units: e.enabled ? [] : [e.unit],
              changed_by: e.actor,
              changed_at: e.at,
              last_position: event.globalPosition,
            })
            .onConflict((oc) =>
              oc
                .column('cluster_id')
                .doUpdateSet((eb) => ({
                  // kept sorted and distinct, like the aggregate's state
                  disabled_units: e.enabled
                    ? eb.fn<string[]>('array_remove', [current, unit])
                    : sql<
                        string[]
                      >`(SELECT array_agg(DISTINCT u ORDER BY u) FROM unnest(array_append(${current}, ${unit})) AS u)`,
                  changed_by: eb.ref('excluded.changed_by'),
                  changed_at: eb.ref('excluded.changed_at'),
                  last_position: eb.ref('excluded.last_position'),
                }))
                .whereRef('proj_health_settings.last_position', '<', 'excluded.last_position'),
            )
            .execute();
          return;
        }
      }
    },
  });
}
