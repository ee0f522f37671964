import type { HealthSettingsChangedData, UnitHealthCheckSwitchedData } from '@edgeplane/contracts';
import { IllegalStateError, ValidationError, type Decider, type FieldViolation } from '@edgeplane/es-kit';

/**
 * Per-cluster edge-health settings (SPEC F-HE-3/4/5; set through the arbiter's own API until the
 * addons service drives them). Stream `health-settings:<clusterId>`. Every change is an event
 * carrying its actor, so the history of who changed what stays.
 */

export const DEFAULT_GRACE_SECONDS = 40;
export const DEFAULT_VOTE_TTL_SECONDS = 60;
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

/** SetConfig: absent fields keep their current value. */
export interface ConfigureHealth {
  type: 'ConfigureHealth';
  clusterId: string;
  multiRegion?: boolean;
  noEviction?: boolean;
  graceSeconds?: number;
  voteTtlSeconds?: number;
  actor: string;
  now: string;
}

export interface SetUnitHealthCheck {
  type: 'SetUnitHealthCheck';
  clusterId: string;
  unit: string;
  enabled: boolean;
  actor: string;
  now: string;
}

export type HealthSettingsCommand = ConfigureHealth | SetUnitHealthCheck;

export type HealthSettingsEvent =
  | { type: 'HealthSettingsChanged'; data: HealthSettingsChangedData }
  | { type: 'UnitHealthCheckSwitched'; data: UnitHealthCheckSwitchedData };

type SettingName = HealthSettingsChangedData['changed'][number];
const SETTING_NAMES: readonly SettingName[] = ['multiRegion', 'noEviction', 'graceSeconds', 'voteTtlSeconds'];

export function decide(command: HealthSettingsCommand, state: HealthSettingsState): HealthSettingsEvent[] {
  const common = commonViolations(command, state);
  switch (command.type) {
    case 'ConfigureHealth':
      return decideConfigure(command, state, common);
    case 'SetUnitHealthCheck':
      return decideUnitSwitch(command, state, common);
  }
}

function commonViolations(command: HealthSettingsCommand, state: HealthSettingsState): FieldViolation[] {
  const v: FieldViolation[] = [];
  if (command.clusterId.trim() === '') v.push({ field: 'clusterId', description: 'must not be empty' });
  else if (state.status === 'configured' && state.clusterId !== command.clusterId) {
    v.push({
      field: 'clusterId',
      description: `"${command.clusterId}" does not match the settings stream of cluster "${state.clusterId}"`,
    });
  }
  if (command.actor.trim() === '') v.push({ field: 'actor', description: 'must name who makes the change' });
  return v;
}

function checkSeconds(
  field: 'graceSeconds' | 'voteTtlSeconds',
  value: number | undefined,
  min: number,
  max: number,
  out: FieldViolation[],
): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    out.push({ field, description: `must be a whole number of seconds from ${min} to ${max}, got ${value}` });
  }
}

function decideConfigure(
  command: ConfigureHealth,
  state: HealthSettingsState,
  violations: FieldViolation[],
): HealthSettingsEvent[] {
  checkSeconds('graceSeconds', command.graceSeconds, MIN_GRACE_SECONDS, MAX_GRACE_SECONDS, violations);
  checkSeconds(
    'voteTtlSeconds',
    command.voteTtlSeconds,
    MIN_VOTE_TTL_SECONDS,
    MAX_VOTE_TTL_SECONDS,
    violations,
  );
  if (command.multiRegion === true && command.noEviction === true) {
    const why =
      'global no-eviction and multi-region are mutually exclusive (F-HE-4): no-eviction stops peer checking, ' +
      'multi-region scopes it to NodeUnits; enable one of them, not both';
    violations.push({ field: 'multiRegion', description: why }, { field: 'noEviction', description: why });
  }
  if (violations.length > 0) throw new ValidationError(violations);

  const current = state.settings;
  const next: HealthSettings = {
    ...current,
    multiRegion: command.multiRegion ?? current.multiRegion,
    noEviction: command.noEviction ?? current.noEviction,
    graceSeconds: command.graceSeconds ?? current.graceSeconds,
    voteTtlSeconds: command.voteTtlSeconds ?? current.voteTtlSeconds,
  };
  if (next.multiRegion && next.noEviction) {
    // Only one of the two is being turned on here: the other one is already on.
    const enabling = command.noEviction === true ? 'global no-eviction' : 'multi-region';
    const already = enabling === 'global no-eviction' ? 'multi-region' : 'global no-eviction';
    throw new IllegalStateError(
      `cannot enable ${enabling} for cluster "${command.clusterId}": ${already} is on, and global no-eviction ` +
        `and multi-region are mutually exclusive (F-HE-4); turn ${already} off first (or in the same request)`,
    );
  }
  const changed = SETTING_NAMES.filter((name) => next[name] !== current[name]);
  if (changed.length === 0) return [];
  return [
    {
      type: 'HealthSettingsChanged',
      data: {
        clusterId: command.clusterId,
        multiRegion: next.multiRegion,
        noEviction: next.noEviction,
        graceSeconds: next.graceSeconds,
        voteTtlSeconds: next.voteTtlSeconds,
        changed,
        actor: command.actor,
        at: command.now,
      },
    },
  ];
}

function decideUnitSwitch(
  command: SetUnitHealthCheck,
  state: HealthSettingsState,
  violations: FieldViolation[],
): HealthSettingsEvent[] {
  if (command.unit.trim() === '') violations.push({ field: 'unit', description: 'must name a NodeUnit' });
  else if (command.unit === DEFAULT_UNIT) {
    violations.push({
      field: 'unit',
      description:
        `"${DEFAULT_UNIT}" is the cluster-wide default unit, not a site, and has no health-check switch; ` +
        'turn multi-region off to have every node checked by every other',
    });
  }
  if (violations.length > 0) throw new ValidationError(violations);
  const enabledNow = !state.settings.disabledUnits.includes(command.unit);
  if (enabledNow === command.enabled) return [];
  return [
    {
      type: 'UnitHealthCheckSwitched',
      data: {
        clusterId: command.clusterId,
        unit: command.unit,
        enabled: command.enabled,
        actor: command.actor,
        at: command.now,
      },
    },
  ];
}

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

export const initialState: HealthSettingsState = { status: 'defaults', settings: DEFAULT_HEALTH_SETTINGS };

export const healthSettingsDecider: Decider<HealthSettingsState, HealthSettingsCommand, HealthSettingsEvent> =
  {
    decide,
    evolve,
    initialState,
  };

export function healthSettingsStreamId(clusterId: string): string {
  return `health-settings:${clusterId}`;
}
