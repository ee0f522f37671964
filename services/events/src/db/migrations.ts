import { sql, type Migration } from 'kysely';

/**
 * The events service's own tables (the event store's come first, from libs/eventstore; this
 * service appends no domain events). Frozen once applied: change them only by adding a migration.
 *
 * events_index          public event id → its source stream and sequence (GetEvent); filled by
 *                       the indexer from every public source stream, idempotent
 * events_index_cursors  per source stream, the last sequence the indexer has stored
 * webhooks              registrations: URL, filter, the sealed signing secret (keyring), counters
 * webhook_cursors       per webhook and source stream, the last sequence settled (delivered,
 *                       skipped by the filter or parked): delivery resumes after it
 * webhook_deliveries    deliveries that failed at least once: retrying, delivered after retries,
 *                       parked (with the CloudEvent body, for Redeliver)
 * (2026_11_28_2130)     webhooks.batch_max_events/batch_max_wait_ms (0 = one event per POST);
 *                       webhook_deliveries.event_ids (the events a delivery carries) and batched
 *                       (its body is a CloudEvents batch)
 */
export function eventsMigrations(schema: string): Record<string, Migration> {
  const t = (name: string) => sql.id(schema, name);
  return {
    '2026_11_28_1700_events_api': {
      async up(db) {
        await sql`
          CREATE TABLE ${t('events_index')} (
            event_id uuid PRIMARY KEY,
            source text NOT NULL,
            seq bigint NOT NULL,
            type text NOT NULL,
            cluster_id text NOT NULL,
            occurred_at timestamptz NOT NULL
          )`.execute(db);
        await sql`
          CREATE TABLE ${t('events_index_cursors')} (
            source text PRIMARY KEY,
            seq bigint NOT NULL
          )`.execute(db);
        await sql`
          CREATE TABLE ${t('webhooks')} (
            id uuid PRIMARY KEY,
            url text NOT NULL,
            types text[] NOT NULL,
            cluster_id text NOT NULL,
            node text NOT NULL,
            unit text NOT NULL,
            description text NOT NULL,
            secret jsonb NOT NULL,
            created_at timestamptz NOT NULL,
            created_by text NOT NULL,
            deleted_at timestamptz,
            failing_since timestamptz,
            delivered bigint NOT NULL DEFAULT 0,
            parked bigint NOT NULL DEFAULT 0
          )`.execute(db);
        await sql`
          CREATE TABLE ${t('webhook_cursors')} (
            webhook_id uuid NOT NULL REFERENCES ${t('webhooks')} (id),
            source text NOT NULL,
            seq bigint NOT NULL,
            PRIMARY KEY (webhook_id, source)
          )`.execute(db);
        await sql`
          CREATE TABLE ${t('webhook_deliveries')} (
            id uuid PRIMARY KEY,
            webhook_id uuid NOT NULL REFERENCES ${t('webhooks')} (id),
            event_id uuid NOT NULL,
            event_type text NOT NULL,
            source text NOT NULL,
            seq bigint NOT NULL,
            state text NOT NULL CHECK (state IN ('RETRYING', 'DELIVERED', 'PARKED')),
            attempts integer NOT NULL,
            first_attempt_at timestamptz NOT NULL,
            last_attempt_at timestamptz NOT NULL,
            next_attempt_at timestamptz,
            last_error text NOT NULL,
            last_status integer NOT NULL,
            body text NOT NULL,
            UNIQUE (webhook_id, event_id)
          )`.execute(db);
        await sql`CREATE INDEX webhook_deliveries_list_idx ON ${t('webhook_deliveries')} (webhook_id, last_attempt_at DESC, id)`.execute(
          db,
        );
      },
    },
    '2026_11_28_2130_webhook_batches': {
      async up(db) {
        await sql`
          ALTER TABLE ${t('webhooks')}
            ADD COLUMN batch_max_events integer NOT NULL DEFAULT 0
              CHECK (batch_max_events BETWEEN 0 AND 1000),
            ADD COLUMN batch_max_wait_ms integer NOT NULL DEFAULT 0
              CHECK (batch_max_wait_ms BETWEEN 0 AND 5000)`.execute(db);
        await sql`
          ALTER TABLE ${t('webhook_deliveries')}
            ADD COLUMN event_ids uuid[] NOT NULL DEFAULT '{}',
            ADD COLUMN batched boolean NOT NULL DEFAULT false`.execute(db);
        await sql`UPDATE ${t('webhook_deliveries')} SET event_ids = ARRAY[event_id]`.execute(db);
      },
    },
  };
}
