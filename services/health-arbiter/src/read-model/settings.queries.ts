import type { Selectable } from 'kysely';
import type { SchemaQueries } from '../db/database.js';
import type { HealthSettingsTable } from '../db/health-settings.table.js';
import { DEFAULT_HEALTH_SETTINGS, type HealthSettings } from '../settings/settings.state.js';

/** What GetConfig shows: the settings in force and who changed them last ('' when never). */
export interface HealthConfigView {
  clusterId: string;
  settings: HealthSettings;
  changedBy: string;
  changedAt: string;
}

function settingsFromRow(row: Selectable<HealthSettingsTable> | undefined): HealthSettings {
  if (!row) return DEFAULT_HEALTH_SETTINGS;
  return {
    multiRegion: row.multi_region,
    noEviction: row.no_eviction,
    graceSeconds: row.grace_seconds,
    voteTtlSeconds: row.vote_ttl_seconds,
    disabledUnits: [...row.disabled_units].sort(),
  };
}

function settingsRow(q: SchemaQueries, clusterId: string) {
  return q
    .selectFrom('proj_health_settings')
    .selectAll()
    .where('cluster_id', '=', clusterId)
    .executeTakeFirst();
}

/** The settings in force for a cluster (the defaults until it was configured). */
export async function clusterSettings(q: SchemaQueries, clusterId: string): Promise<HealthSettings> {
  return settingsFromRow(await settingsRow(q, clusterId));
}

/** The settings of every configured cluster among these (the others have the defaults). */
export async function configuredSettings(
  q: SchemaQueries,
  clusterIds: readonly string[],
): Promise<Map<string, HealthSettings>> {
  if (clusterIds.length === 0) return new Map();
  const rows = await q
    .selectFrom('proj_health_settings')
    .selectAll()
    .where('cluster_id', 'in', clusterIds)
    .execute();
  return new Map(rows.map((r) => [r.cluster_id, settingsFromRow(r)]));
}

export async function healthConfig(q: SchemaQueries, clusterId: string): Promise<HealthConfigView> {
  const row = await settingsRow(q, clusterId);
  return {
    clusterId,
    settings: settingsFromRow(row),
    changedBy: row?.changed_by ?? '',
    changedAt: row ? row.changed_at.toISOString() : '',
  };
}
