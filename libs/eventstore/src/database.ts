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
   * Told when a pooled connection fails, idle or checked out (server restart, network cut,
   * pg_terminate_backend). pg drops that client and opens a new one on the next query.
   */
  onConnectionError?: (error: Error) => void;
  /**
   * Longest wait for a connection (a new one, or a free one of the pool), default 10 s. Without it
   * a query waits forever while the server is unreachable and the caller never gets an error.
   */
  connectionTimeoutMs?: number;
}

export function createDatabase(options: DatabaseOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString: options.url ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    max: options.max ?? 10,
    application_name: options.applicationName,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
    // TCP keepalive: a connection whose peer vanished (network cut, host gone) is found dead
    // instead of being handed out again.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // A connection lost while checked out (inside a transaction, between two queries, or under a
  // running query) makes pg emit 'error' on that client, and the pool listens only to idle ones:
  // unheard, it would end the process. The query in flight has failed already; the pool drops the
  // broken client when it is released and opens a new one on demand.
  pool.on('connect', (client) => client.on('error', (error) => options.onConnectionError?.(error)));
  // Idle clients' errors reach the client listener above too; this one only keeps them from
  // being unhandled on the pool.
  pool.on('error', () => undefined);
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
