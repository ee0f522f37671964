import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Db, EventStoreTables } from './db/database.js';

// bigint columns (global positions, xid8) come back as strings; we keep them as JS numbers:
// positions stay far below 2^53 and xid8 (epoch<<32 | xid) does too for centuries of traffic.
pg.types.setTypeParser(20, (v) => Number(v)); // int8
pg.types.setTypeParser(5069 as Parameters<typeof pg.types.setTypeParser>[0], (v: string) => Number(v)); // xid8

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface DatabaseOptions {
  url?: string;
  /** pool size; the relay's leader lock takes one more dedicated connection. */
  max?: number;
  applicationName?: string;
  /**
   * Told when an idle pooled connection fails (server restart, network cut). pg drops that client
   * and opens a new one on the next query; without a listener the error would end the process.
   */
  onConnectionError?: (error: Error) => void;
}

export function createDatabase(options: DatabaseOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString: options.url ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    max: options.max ?? 10,
    application_name: options.applicationName,
  });
  pool.on('error', (error) => options.onConnectionError?.(error));
  return new Kysely<EventStoreTables>({ dialect: new PostgresDialect({ pool }) });
}

/** Schema names are interpolated as identifiers: only accept plain snake_case names. */
export function assertSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name "${schema}"`);
  return schema;
}

export async function ensureSchema(db: Db, schema: string): Promise<void> {
  await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(assertSchemaName(schema))}`.execute(db);
}
