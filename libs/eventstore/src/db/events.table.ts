import type { EventMetadata } from '@edgeplane/contracts';
import type { ColumnType, Generated } from 'kysely';

/**
 * The append-only log, which is also the outbox (the relay reads it by (tx_id, position)).
 * int8 and xid8 come back as JS numbers (type parsers in database.ts).
 */
export interface EventsTable {
  global_position: Generated<number>;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: ColumnType<number, number | undefined, number>;
  data: unknown;
  metadata: ColumnType<EventMetadata, string | undefined, string>;
  occurred_at: ColumnType<Date, string | undefined, string>;
  tx_id: Generated<number>;
}
