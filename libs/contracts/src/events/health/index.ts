import type { EventDefinition } from '../../define-event.js';
import { HealthSettingsChanged } from './health-settings-changed.v1.js';
import { NodeEvictionRequested } from './node-eviction-requested.v1.js';
import { NodeVerdictChanged } from './node-verdict-changed.v1.js';
import { UnitHealthCheckSwitched } from './unit-health-check-switched.v1.js';

export * from './shared.js';
export * from './health-settings-changed.v1.js';
export * from './node-eviction-requested.v1.js';
export * from './node-verdict-changed.v1.js';
export * from './unit-health-check-switched.v1.js';

/** Catalogue entries emitted by the health service. Add one file per event and version, list it here. */
export const healthEvents: EventDefinition[] = [
  HealthSettingsChanged,
  UnitHealthCheckSwitched,
  NodeVerdictChanged,
  NodeEvictionRequested,
];
