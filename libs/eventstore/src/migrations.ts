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
 * events_register_writer / events_safe_position  the exact outbox guard (see that migration)
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
    // The exact outbox guard (docs/architecture.md, "Writing"; relay.ts `safePosition`): every
    // statement that inserts into this events table first registers its transaction as a writer
    // with a transaction-scoped SHARED advisory lock (key: hash of this table, the highest position
    // drawn before it draws its own); the relay publishes only positions up to every registered
    // writer's key and up to the sequence head read before the locks. The relay reads by
    // position alone from here on; its checkpoint moves to the lowest position not yet published.
    '2026_11_28_0100_exact_outbox_guard': {
      async up(db) {
        const seq = sql.id(s, 'events_global_position_seq');
        const key = `${s}.events`;
        // no writer in flight while the guard is installed and the checkpoint converted (the
        // migration's transaction holds this until it commits)
        await sql`LOCK TABLE ${sql.id(s, 'events')} IN SHARE ROW EXCLUSIVE MODE`.execute(db);
        await sql`
          CREATE FUNCTION ${sql.id(s, 'events_register_writer')}() RETURNS trigger LANGUAGE plpgsql AS $$
          DECLARE head bigint; called boolean;
          BEGIN
            -- once per transaction: the first key is the lowest this transaction will ever hold
            IF coalesce(current_setting(${sql.lit(`edgeplane.outbox_${s}`)}, true), '') = '' THEN
              -- the highest position drawn so far: every position this writer draws is above it
              SELECT last_value, is_called INTO head, called FROM ${seq};
              IF NOT called THEN head := head - 1; END IF;
              PERFORM pg_advisory_xact_lock_shared(hashtext(${sql.lit(key)}), head::bit(32)::int);
              PERFORM set_config(${sql.lit(`edgeplane.outbox_${s}`)}, 'registered', true);
            END IF;
            RETURN NULL;
          END $$`.execute(db);
        // BEFORE … FOR EACH STATEMENT fires before the statement evaluates any row (and so before
        // nextval() draws a position): a writer is registered before its positions exist.
        await sql`
          CREATE TRIGGER events_register_writer BEFORE INSERT ON ${sql.id(s, 'events')}
          FOR EACH STATEMENT EXECUTE FUNCTION ${sql.id(s, 'events_register_writer')}()`.execute(db);
        await sql`
          CREATE FUNCTION ${sql.id(s, 'events_safe_position')}() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
          DECLARE head bigint; called boolean; lowest bigint;
          BEGIN
            -- 1. the sequence head FIRST: a writer not registered yet draws above it
            SELECT last_value, is_called INTO head, called FROM ${seq};
            IF NOT called THEN head := head - 1; END IF;
            -- 2. then the writers in flight; each key is the low 32 bits of the highest position
            --    drawn before it registered (its own are above), restored next to head (|key - head| < 2^31)
            SELECT min(head + ((l.objid::bigint - head) % 4294967296 + 6442450944) % 4294967296 - 2147483648)
              INTO lowest
              FROM pg_locks l
             WHERE l.locktype = 'advisory' AND l.objsubid = 2
               AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
               AND l.classid = hashtext(${sql.lit(key)})::oid;
            RETURN CASE WHEN lowest IS NULL THEN head ELSE least(head, lowest) END;
          END $$`.execute(db);
        // Convert the (tx_id, position) checkpoints: everything below the lowest unpublished
        // position was published (a few above it may be sent again; Msg-Id and inboxes drop them).
        await sql`
          UPDATE ${sql.id(s, 'relay_checkpoints')} c SET
            last_position = coalesce(
              (SELECT min(e.global_position) - 1 FROM ${sql.id(s, 'events')} e
                WHERE (e.tx_id, e.global_position) > (c.last_tx_id, c.last_position)),
              (SELECT coalesce(max(e.global_position), c.last_position) FROM ${sql.id(s, 'events')} e)),
            last_tx_id = '0'::xid8`.execute(db);
      },
      async down(db) {
        await sql`DROP TRIGGER IF EXISTS events_register_writer ON ${sql.id(s, 'events')}`.execute(db);
        await sql`DROP FUNCTION IF EXISTS ${sql.id(s, 'events_register_writer')}()`.execute(db);
        await sql`DROP FUNCTION IF EXISTS ${sql.id(s, 'events_safe_position')}()`.execute(db);
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
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    if (attempt < 20 && isOtherSchemaDropped(error, schema)) {
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 30 * Math.min(attempt, 5)));
      continue;
    }
    throw error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * Kysely's migrator checks for its tables by introspecting the tables of EVERY schema of the
 * database; a schema another tenant (a parallel test file, a side-by-side instance) drops in the
 * same instant fails that query with "schema … does not exist" or "relation … does not exist".
 * That is not this schema's fault and a new introspection no longer sees it: retried.
 */
function isOtherSchemaDropped(error: unknown, schema: string): boolean {
  const e = error as { code?: unknown; message?: unknown };
  if (e?.code !== '3F000' && e?.code !== '42P01') return false;
  return typeof e.message === 'string' && !e.message.includes(`"${schema}"`);
}
