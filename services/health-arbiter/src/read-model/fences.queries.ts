import { sql } from 'kysely';
import type { SchemaQueries } from '../db/database.js';

/**
 * The fence of a signal partition (health_partition_fences): a new lease holder raises the epoch
 * before it judges; an append reads the epochs FOR SHARE in its transaction, so a takeover waits
 * for an append in flight and every later append of the old holder sees the new epoch.
 */

/**
 * Raises the partition's fence to `epoch` (a lease won with this KV revision). Returns false if
 * the fence already holds a higher epoch: a newer holder has taken the partition since.
 */
export async function raiseFence(
  q: SchemaQueries,
  partition: number,
  epoch: number,
  holder: string,
): Promise<boolean> {
  const row = await q
    .insertInto('health_partition_fences')
    .values({ partition, epoch, holder })
    .onConflict((oc) =>
      oc
        .column('partition')
        .doUpdateSet({ epoch, holder, taken_at: sql<string>`now()` })
        .where('health_partition_fences.epoch', '<', epoch),
    )
    .returning('epoch')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Sets the fence to `epoch` whatever it holds: only for a holder that the lease store still
 * confirms (the lease bucket was recreated, its revisions started again below the fence).
 */
export async function resetFence(
  q: SchemaQueries,
  partition: number,
  epoch: number,
  holder: string,
): Promise<void> {
  await q
    .insertInto('health_partition_fences')
    .values({ partition, epoch, holder })
    .onConflict((oc) => oc.column('partition').doUpdateSet({ epoch, holder, taken_at: sql<string>`now()` }))
    .execute();
}

/** The fences of these partitions, locked FOR SHARE until the transaction ends (call inside one). */
export async function lockFences(
  q: SchemaQueries,
  partitions: readonly number[],
): Promise<Map<number, number>> {
  if (partitions.length === 0) return new Map();
  const rows = await q
    .selectFrom('health_partition_fences')
    .select(['partition', 'epoch'])
    .where('partition', 'in', partitions)
    .forShare()
    .execute();
  return new Map(rows.map((r) => [r.partition, Number(r.epoch)]));
}
