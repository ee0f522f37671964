import type { ColumnType, RawBuilder } from 'kysely';

/** How far the outbox relay of a schema has published (one row per relay name). */
export interface RelayCheckpointsTable {
  name: string;
  /** xid8: written as a cast literal, read back as a number */
  last_tx_id: ColumnType<number, RawBuilder<unknown> | undefined, RawBuilder<unknown>>;
  last_position: ColumnType<number, number | undefined, number>;
  updated_at: ColumnType<Date, RawBuilder<unknown> | undefined, RawBuilder<unknown>>;
}
