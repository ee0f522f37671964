import type { ColumnType } from 'kysely';

/**
 * Events the bus refused for good (larger than its max payload): parked here by the relay so they
 * never block the events behind them; kept with the reason until replayed or dropped by an operator.
 */
export interface RelayParkedTable {
  event_id: string;
  global_position: number;
  type: string;
  bytes: number;
  reason: string;
  parked_at: ColumnType<Date, never, never>;
}
