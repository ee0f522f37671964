import type { Kysely, Transaction } from 'kysely';
import type { EventsTable } from './events.table.js';
import type { InboxTable } from './inbox.table.js';
import type { RelayCheckpointsTable } from './relay-checkpoints.table.js';
import type { RelayParkedTable } from './relay-parked.table.js';

/**
 * The event store's tables, present in every service schema. A service adds its own with
 * `db.withTables<ServiceTables>()` (Kysely's way to widen a typed instance), so one pool serves
 * both and every query is typed.
 */
export type EventStoreTables = {
  events: EventsTable;
  relay_checkpoints: RelayCheckpointsTable;
  inbox: InboxTable;
  relay_parked: RelayParkedTable;
};

export type Db = Kysely<EventStoreTables>;
export type Trx = Transaction<EventStoreTables>;
