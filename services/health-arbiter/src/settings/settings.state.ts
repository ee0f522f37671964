import type { HealthSettingsChangedData, UnitHealthCheckSwitchedData } from '@edgeplane/contracts';

/**
 * Per-cluster edge-health settings (SPEC F-HE-3/4/5; set through the arbiter's own API until the
 * addons service drives them), folded from stream `health-settings:<clusterId>`.
 */

const DEFAULT_GRACE_SECONDS = 40;
const DEFAULT_VOTE_TTL_SECONDS = 60;
export const MIN_GRACE_SECONDS = 1;
export const MAX_GRACE_SECONDS = 3600;
export const MIN_VOTE_TTL_SECONDS = 1;
export const MAX_VOTE_TTL_SECONDS = 3600;
/** nodepool's cluster-wide default unit; not a site, so it has no health-check switch. */
export const DEFAULT_UNIT = 'unit-node-all';

export interface HealthSettings {
  multiRegion: boolean;
  noEviction: boolean;
  graceSeconds: number;
  voteTtlSeconds: number;
  /**
   * Units whose "enable health check" switch is off, sorted. A unit never switched is ON: turning
   * multi-region on must not silently drop every node to standard (evicting) behaviour.
   */
  disabledUnits: readonly string[];
}

export const DEFAULT_HEALTH_SETTINGS: HealthSettings = Object.freeze({
  multiRegion: false,
  noEviction: false,
  graceSeconds: DEFAULT_GRACE_SECONDS,
  voteTtlSeconds: DEFAULT_VOTE_TTL_SECONDS,
  disabledUnits: Object.freeze([]) as readonly string[],
});

export type HealthSettingsState =
  | { status: 'defaults'; settings: HealthSettings }
  | {
      status: 'configured';
      clusterId: string;
      settings: HealthSettings;
      changedBy: string;
      changedAt: string;
    };

export type HealthSettingsEvent =
  | { type: 'HealthSettingsChanged'; data: HealthSettingsChangedData }
  | { type: 'UnitHealthCheckSwitched'; data: UnitHealthCheckSwitchedData };

export const initialState: HealthSettingsState = { status: 'defaults', settings: DEFAULT_HEALTH_SETTINGS };

export function evolve(state: HealthSettingsState, event: HealthSettingsEvent): HealthSettingsState {
  switch (event.type) {
    case 'HealthSettingsChanged': {
      const d = event.data;
      return {
        status: 'configured',
        clusterId: d.clusterId,
        settings: {
          ...state.settings,
          multiRegion: d.multiRegion,
          noEviction: d.noEviction,
          graceSeconds: d.graceSeconds,
          voteTtlSeconds: d.voteTtlSeconds,
        },
        changedBy: d.actor,
        changedAt: d.at,
      };
    }
    case 'UnitHealthCheckSwitched': {
      const d = event.data;
      const others = state.settings.disabledUnits.filter((u) => u !== d.unit);
      const disabledUnits = d.enabled ? others : [...others, d.unit].sort();
      return {
        status: 'configured',
        clusterId: d.clusterId,
        settings: { ...state.settings, disabledUnits },
        changedBy: d.actor,
        changedAt: d.at,
      };
    }
  }
}
