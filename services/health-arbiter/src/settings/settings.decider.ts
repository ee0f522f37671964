import type { Decider } from '@edgeplane/es-kit';
import { decide, type HealthSettingsCommand } from './settings.decide.js';
import {
  evolve,
  initialState,
  type HealthSettingsEvent,
  type HealthSettingsState,
} from './settings.state.js';

export type { ConfigureHealth, HealthSettingsCommand, SetUnitHealthCheck } from './settings.decide.js';
export type { HealthSettingsEvent, HealthSettingsState } from './settings.state.js';

/**
 * The HealthSettings aggregate of one cluster (stream `health-settings:<clusterId>`): state and
 * evolve in ./settings.state.ts, the rules in ./settings.decide.ts.
 */
export const healthSettingsDecider: Decider<HealthSettingsState, HealthSettingsCommand, HealthSettingsEvent> =
  { decide, evolve, initialState };

export function healthSettingsStreamId(clusterId: string): string {
  return `health-settings:${clusterId}`;
}
