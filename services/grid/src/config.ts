import { z } from 'zod';
import { BaseConfigSchema } from '@edgeplane/service-kit';

/**
 * Env of the grid service, parsed once at start: the base keys and how often the reconciler looks
 * at clusters with a rollout in flight (its health gate's soak time needs a clock, not an event).
 */
export const GridConfigSchema = BaseConfigSchema.extend({
  GRID_ROLLOUT_TICK_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
});
export type GridConfig = z.infer<typeof GridConfigSchema>;
