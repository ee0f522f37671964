import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import { assertSchemaName, ensureSchema } from './database.js';
import type { Db } from './db/database.js';

/**
 * The event store's own tables, created in every service schema. Frozen once applied: change
 * them only by adding a new migration.
 *
 * events           the append-only log; also the outbox (the relay reads it by (tx_id, position))
 * relay_checkpoints how far the outbox relay has published
 * inbox             message ids a consumer has applied (idempotent redelivery)
 * relay_parked      events the bus refused for good (too large), so they never block the rest
 */
export function eventStoreMigrations(schema: string): Record<string, Migration> {
  const s = assertSchemaName(schema);
  return {
    '2026_11_27_0000_eventstore': {
      async up(db) {
        await sql`
          CREATE TABLE ${sql.id(s, 'events')} (
            global_position bigserial PRIMARY KEY,
            event_id uuid NOT NULL UNIQUE,
            stream_id text NOT NULL,
            stream_version integer NOT NULL,
            type text NOT NULL,
            schema_version integer NOT NULL DEFAULT 1,
            data jsonb NOT NULL,
            metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
            occurred_at timestamptz NOT NULL DEFAULT now(),
            tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
            CONSTRAINT events_stream_version_uq UNIQUE (stream_id, stream_version)
          )`.execute(db);
        await sql`CREATE INDEX events_tx_position_idx ON ${sql.id(s, 'events')} (tx_id, global_position)`.execute(
          db,
        );
        // Wakes the outbox relay at commit of any append (NOTIFY is delivered on commit only).
        await sql`
          CREATE FUNCTION ${sql.id(s, 'notify_events')}() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN PERFORM pg_notify(TG_TABLE_SCHEMA || '_events', ''); RETURN NULL; END $$`.execute(db);
        await sql`
          CREATE TRIGGER events_notify AFTER INSERT ON ${sql.id(s, 'events')}
          FOR EACH STATEMENT EXECUTE FUNCTION ${sql.id(s, 'notify_events')}()`.execute(db);
        await sql`
          CREATE TABLE ${sql.id(s, 'relay_checkpoints')} (
            name text PRIMARY KEY,
            last_tx_id xid8 NOT NULL DEFAULT '0'::xid8,
            last_position bigint NOT NULL DEFAULT 0,
            updated_at timestamptz NOT NULL DEFAULT now()
          )`.execute(db);
        await sql`
          CREATE TABLE ${sql.id(s, 'inbox')} (
            consumer text NOT NULL,
            message_id text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (consumer, message_id)
          )`.execute(db);
      },
      async down(db) {
        for (const t of ['inbox', 'relay_checkpoints', 'events']) {
          await sql`DROP TABLE IF EXISTS ${sql.id(s, t)}`.execute(db);
        }
        await sql`DROP FUNCTION IF EXISTS ${sql.id(s, 'notify_events')}()`.execute(db);
      },
    },
    '2026_11_28_0000_relay_parked': {
      async up(db) {
        await sql`
          CREATE TABLE ${sql.id(s, 'relay_parked')} (
            event_id uuid PRIMARY KEY,
            global_position bigint NOT NULL,
            type text NOT NULL,
            bytes integer NOT NULL,
            reason text NOT NULL,
            parked_at timestamptz NOT NULL DEFAULT now()
          )`.execute(db);
      },
      async down(db) {
        await sql`DROP TABLE IF EXISTS ${sql.id(s, 'relay_parked')}`.execute(db);
      },
    },
  };
}

class StaticProvider implements MigrationProvider {
  constructor(private readonly migrations: Record<string, Migration>) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return this.migrations;
  }
}

/**
 * Migrates one service schema: the event store's tables first, then the service's own, from a
 * static index (bundling breaks folder scanning). Safe to call at every start; concurrent
 * starters are serialised by Kysely's migration lock.
 */
export async function migrateSchema(
  db: Db,
  schema: string,
  serviceMigrations: Record<string, Migration> = {},
): Promise<string[]> {
  await ensureSchema(db, schema);
  const migrations = { ...eventStoreMigrations(schema), ...serviceMigrations };
  const migrator = new Migrator({
    db,
    provider: new StaticProvider(migrations),
    migrationTableSchema: schema,
    migrationTableName: 'kysely_migration',
    migrationLockTableName: 'kysely_migration_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
