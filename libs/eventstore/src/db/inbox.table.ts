import type { ColumnType } from 'kysely';

/** Message ids a durable consumer has applied, so a redelivery is a no-op. */
export interface InboxTable {
  consumer: string;
  message_id: string;
  applied_at: ColumnType<Date, never, never>;
}
