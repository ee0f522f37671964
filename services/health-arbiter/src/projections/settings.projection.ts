import type { HealthSettingsChangedData, UnitHealthCheckSwitchedData } from '@edgeplane/contracts';
import type { InlineProjection, StoredEvent, Trx } from '@edgeplane/eventstore';
import { sql } from 'kysely';
import { DEFAULT_HEALTH_SETTINGS } from '../settings/settings.decider.js';

/**
 * proj_health_settings: one row per cluster whose settings were ever changed (absent = defaults).
 * Applied in the append's transaction, so GetConfig right after SetConfig sees the change; the
 * `last_position` guard makes a replay (rebuild) a no-op.
 */
export function settingsProjection(schema: string): InlineProjection {
  const table = sql.id(schema, 'proj_health_settings');
  const d = DEFAULT_HEALTH_SETTINGS;
  return {
    name: 'health-settings',
    tables: ['proj_health_settings'],
    handles: ['HealthSettingsChanged', 'UnitHealthCheckSwitched'],
    async apply(trx: Trx, event: StoredEvent) {
      if (event.type === 'HealthSettingsChanged') {
        const e = event.data as HealthSettingsChangedData;
        await sql`
          INSERT INTO ${table} AS s (cluster_id, multi_region, no_eviction, grace_seconds, vote_ttl_seconds,
                                     disabled_units, changed_by, changed_at, last_position)
          VALUES (${e.clusterId}, ${e.multiRegion}, ${e.noEviction}, ${e.graceSeconds}, ${e.voteTtlSeconds},
                  '{}', ${e.actor}, ${e.at}, ${event.globalPosition})
          ON CONFLICT (cluster_id) DO UPDATE SET
            multi_region = excluded.multi_region, no_eviction = excluded.no_eviction,
            grace_seconds = excluded.grace_seconds, vote_ttl_seconds = excluded.vote_ttl_seconds,
            changed_by = excluded.changed_by, changed_at = excluded.changed_at, last_position = excluded.last_position
          WHERE s.last_position < excluded.last_position`.execute(trx);
      } else {
        const e = event.data as UnitHealthCheckSwitchedData;
        const disabled = e.enabled ? [] : [e.unit];
        await sql`
          INSERT INTO ${table} AS s (cluster_id, multi_region, no_eviction, grace_seconds, vote_ttl_seconds,
                                     disabled_units, changed_by, changed_at, last_position)
          VALUES (${e.clusterId}, ${d.multiRegion}, ${d.noEviction}, ${d.graceSeconds}, ${d.voteTtlSeconds},
                  ${disabled}::text[], ${e.actor}, ${e.at}, ${event.globalPosition})
          ON CONFLICT (cluster_id) DO UPDATE SET
            disabled_units = CASE WHEN ${e.enabled}
              THEN array_remove(s.disabled_units, ${e.unit}::text)
              ELSE (SELECT array_agg(DISTINCT u ORDER BY u) FROM unnest(array_append(s.disabled_units, ${e.unit}::text)) AS u)
            END,
            changed_by = excluded.changed_by, changed_at = excluded.changed_at, last_position = excluded.last_position
          WHERE s.last_position < excluded.last_position`.execute(trx);
      }
    },
  };
}
