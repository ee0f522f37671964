export {
  healthSettingsDecider,
  healthSettingsStreamId,
  DEFAULT_GRACE_SECONDS,
  DEFAULT_VOTE_TTL_SECONDS,
  MIN_GRACE_SECONDS,
  MAX_GRACE_SECONDS,
  MIN_VOTE_TTL_SECONDS,
  MAX_VOTE_TTL_SECONDS,
  DEFAULT_UNIT,
  DEFAULT_HEALTH_SETTINGS,
  type HealthSettings,
  type HealthSettingsState,
  type HealthSettingsCommand,
  type HealthSettingsEvent,
  type ConfigureHealth,
  type SetUnitHealthCheck,
} from './settings/settings.decider.js';
export {
  nodeVerdictDecider,
  nodeVerdictStreamId,
  type NodeVerdictState,
  type NodeVerdictCommand,
  type NodeVerdictEvent,
  type RecordVerdict,
} from './verdict/verdict.decider.js';
export * from './engine/cluster-health.engine.js';
export * from './engine/timer-wheel.js';
export * from './engine/verdict-table.js';
export { healthArbiterService } from './service.js';
export { HealthArbiterConfigSchema, parsePartitions, type HealthArbiterConfig } from './config.js';
