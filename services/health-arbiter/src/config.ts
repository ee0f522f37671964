import { SIGNAL_PARTITIONS } from '@edgeplane/contracts';
import { BaseConfigSchema } from '@edgeplane/service-kit';
import { z } from 'zod';

/**
 * `HEALTH_PARTITIONS`: the signal partitions (and so the clusters) this instance judges, as a
 * list of numbers and ranges: `0-31` (all, the default), `0-15`, `3,7,20-23`. Instances must own
 * disjoint sets that together cover 0…31.
 */
export function parsePartitions(text: string): number[] {
  const out = new Set<number>();
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`"${part}" is not a partition or a range a-b`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from > to || to >= SIGNAL_PARTITIONS) {
      throw new Error(`partition range "${part}" must lie within 0-${SIGNAL_PARTITIONS - 1}`);
    }
    for (let p = from; p <= to; p++) out.add(p);
  }
  if (out.size === 0) throw new Error('names no partition');
  return [...out].sort((a, b) => a - b);
}

export const HealthArbiterConfigSchema = BaseConfigSchema.extend({
  HEALTH_PARTITIONS: z
    .string()
    .default(`0-${SIGNAL_PARTITIONS - 1}`)
    .transform((text, ctx) => {
      try {
        return parsePartitions(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /** verdict evaluation period */
  HEALTH_TICK_MS: z.coerce.number().int().min(50).max(10_000).default(1000),
});
export type HealthArbiterConfig = z.infer<typeof HealthArbiterConfigSchema>;
