import type { HealthSettingsChangedData } from '@edgeplane/contracts';
import { IllegalStateError, ValidationError, type FieldViolation } from '@edgeplane/es-kit';
import { dns1123LabelProblems, preview } from '@edgeplane/k8s';
import {
  DEFAULT_UNIT,
  MAX_GRACE_SECONDS,
  MAX_VOTE_TTL_SECONDS,
  MIN_GRACE_SECONDS,
  MIN_VOTE_TTL_SECONDS,
  type HealthSettings,
  type HealthSettingsEvent,
  type HealthSettingsState,
} from './settings.state.js';

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

type SettingName = HealthSettingsChangedData['changed'][number];
const SETTING_NAMES: readonly SettingName[] = ['multiRegion', 'noEviction', 'graceSeconds', 'voteTtlSeconds'];

/** Every change is an event carrying its actor, so the history of who changed what stays. */
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
      'global no-eviction and multi-region are mutually exclusive: no-eviction stops peer checking, ' +
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
        `and multi-region are mutually exclusive; turn ${already} off first (or in the same request)`,
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
  else if (dns1123LabelProblems(command.unit).length > 0) {
    // unit names are DNS-1123 labels (they become node label keys); nothing else can name one
    const problems = dns1123LabelProblems(command.unit).join('; ');
    violations.push({ field: 'unit', description: `${preview(command.unit)} ${problems}` });
  } else if (command.unit === DEFAULT_UNIT) {
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
