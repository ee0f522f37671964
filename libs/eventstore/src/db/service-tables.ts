import { sql, type Kysely, type QueryCreator, type Transaction } from 'kysely';
import type { Db, EventStoreTables, Trx } from './database.js';

/** A service's own tables: a `type` alias (Kysely's `withTables` needs an index-compatible type). */
export type TableMap = Record<string, object>;

/** How a service reaches its tables beside the event store's, on the one pool or in a transaction. */
export interface ServiceTables<T extends TableMap> {
  /** The pool (or a transaction on it) widened to the service's tables; a transaction stays one. */
  tables(q: Trx): Transaction<EventStoreTables & T>;
  tables(q: Db): Kysely<EventStoreTables & T>;
  tables(q: Db | Trx): Kysely<EventStoreTables & T>;
  /** Typed queries over one schema (the service's own, or a side-by-side test instance's). */
  inSchema(q: Db | Trx, schema: string): QueryCreator<EventStoreTables & T>;
}

/**
 * Every service declares its tables once (`src/db/database.ts`):
 *   export type NodepoolTables = { proj_units: ProjUnitsTable; … };
 *   export const { tables, inSchema } = serviceTables<NodepoolTables>();
 */
export function serviceTables<T extends TableMap>(): ServiceTables<T> {
  function tables(q: Trx): Transaction<EventStoreTables & T>;
  function tables(q: Db): Kysely<EventStoreTables & T>;
  function tables(q: Db | Trx): Kysely<EventStoreTables & T>;
  function tables(q: Db | Trx): Kysely<EventStoreTables & T> {
    return (q as Db).withTables<T>();
  }
  return { tables, inSchema: (q, schema) => tables(q).withSchema(schema) };
}

/**
 * Takes a transaction-scoped advisory lock on `key` (released at commit or rollback), so
 * decisions that must not pass side by side take turns instead of racing on stream versions.
 */
export async function lockForTransaction(trx: Trx, key: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
}
