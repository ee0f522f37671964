import { SIGNAL_PARTITIONS } from '@edgeplane/contracts';
import { BaseConfigSchema } from '@edgeplane/service-kit';
import { z } from 'zod';

/**
 * `HEALTH_PARTITIONS`: the signal partitions (and so the clusters) this instance MAY judge, as a
 * list of numbers and ranges: `0-31` (all, the default), `0-15`, `3,7,20-23`. Which ones it does
 * judge is decided by lease among the live instances (src/leases/): each partition is held by
 * one instance at a time, shared out fairly; the sets may overlap.
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
  /**
   * lease time of a partition (the TTL of the lease bucket when this instance creates it): an
   * instance that stops renewing loses its partitions this long after its last renewal
   */
  HEALTH_LEASE_TTL_MS: z.coerce.number().int().min(1000).max(300_000).default(10_000),
  /**
   * the lease bucket (NATS KV; EDGEPLANE_ENV applies): instances that share it share the
   * partitions. Only a test that must not meet other arbiters on the same bus changes it.
   */
  HEALTH_LEASE_BUCKET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "_" and "-" only (a NATS KV bucket name), at most 64')
    .default('health_partition_leases'),
  /** this instance's id among the lease holders (default: host, pid and a random suffix) */
  HEALTH_INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "_" and "-" only (a NATS KV key part), at most 64')
    .optional(),
});
export type HealthArbiterConfig = z.infer<typeof HealthArbiterConfigSchema>;
