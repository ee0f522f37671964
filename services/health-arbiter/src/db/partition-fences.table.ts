import type { ColumnType } from 'kysely';

/**
 * health_partition_fences: for each signal partition, the lease epoch (the NATS KV revision that
 * created the lease) of the instance judging it. A new holder raises it before it judges; every
 * verdict append reads it FOR SHARE in its own transaction and is refused unless it is still the
 * appender's, so a verdict decided under a lost lease never lands (runtime/partition-leases.ts).
 */
export interface PartitionFencesTable {
  partition: number;
  epoch: number;
  holder: string;
  taken_at: ColumnType<Date, string | undefined, string>;
}
