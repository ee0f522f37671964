import type { AccessTable } from '@edgeplane/service-kit';

/** The role each method of the health arbiter needs (docs/architecture.md, "Identity and authorization"). */
export const HEALTH_ACCESS: AccessTable = {
  'edgeplane.health.v1.HealthService/GetConfig': 'view',
  'edgeplane.health.v1.HealthService/SetConfig': 'edit',
  'edgeplane.health.v1.HealthService/SetUnitHealthCheck': 'edit',
  'edgeplane.health.v1.HealthService/ExplainNode': 'view',
  'edgeplane.health.v1.HealthService/ListVerdicts': 'view',
};
