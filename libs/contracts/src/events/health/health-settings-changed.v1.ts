import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { HealthInstant } from './shared.js';

/**
 * HealthSettingsChanged — a cluster's edge-health settings changed (SPEC F-HE-3, F-HE-4; F-AD-2
 * until the addons service drives them). Emitter: health-arbiter, health-settings aggregate
 * (stream `health-settings:<clusterId>`), from SetConfig.
 * Invariants: carries the FULL settings after the change plus `changed` (the names of the
 * settings that differ from before, never empty); `multiRegion` and `noEviction` are never both
 * true; `graceSeconds` ≥ 1 and `voteTtlSeconds` ≥ 1; `actor` is who asked for it.
 */
export const HealthSettingsChanged = defineEvent({
  type: 'HealthSettingsChanged',
  version: 1,
  subject: 'edgeplane.health.settings.changed',
  emitter: 'health-arbiter',
  schema: z.object({
    clusterId: z.string().min(1),
    multiRegion: z.boolean(),
    noEviction: z.boolean(),
    graceSeconds: z.number().int().min(1),
    voteTtlSeconds: z.number().int().min(1),
    changed: z.array(z.enum(['multiRegion', 'noEviction', 'graceSeconds', 'voteTtlSeconds'])).min(1),
    actor: z.string().min(1),
    at: HealthInstant,
  }),
});
export type HealthSettingsChangedData = z.infer<typeof HealthSettingsChanged.schema>;
