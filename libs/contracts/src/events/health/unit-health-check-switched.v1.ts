import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { HealthInstant } from './shared.js';

/**
 * UnitHealthCheckSwitched — the per-NodeUnit "enable health check" switch (SPEC F-HE-5) was turned
 * on or off for one unit of a cluster. Emitter: health-arbiter, health-settings aggregate (stream
 * `health-settings:<clusterId>`), from SetUnitHealthCheck.
 * Invariants: `enabled` differs from the unit's previous value (a unit never switched is enabled);
 * while off, the unit's nodes are not peer-checked and get standard Kubernetes behaviour unless
 * another enabled unit covers them; `actor` is who asked for it.
 */
export const UnitHealthCheckSwitched = defineEvent({
  type: 'UnitHealthCheckSwitched',
  version: 1,
  subject: 'edgeplane.health.settings.unit-health-check-switched',
  emitter: 'health-arbiter',
  schema: z.object({
    clusterId: z.string().min(1),
    unit: z.string().min(1),
    enabled: z.boolean(),
    actor: z.string().min(1),
    at: HealthInstant,
  }),
});
export type UnitHealthCheckSwitchedData = z.infer<typeof UnitHealthCheckSwitched.schema>;
