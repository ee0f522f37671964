import { sql } from 'kysely';
import type { SchemaQueries, DeliveryState } from '../db/database.js';

export interface WebhookRow {
  id: string;
  url: string;
  types: string[];
  cluster_id: string;
  node: string;
  unit: string;
  description: string;
  secret: unknown;
  created_at: Date;
  created_by: string;
  deleted_at: Date | null;
  failing_since: Date | null;
  delivered: string;
  parked: string;
  batch_max_events: number;
  batch_max_wait_ms: number;
}

export function findWebhook(q: SchemaQueries, id: string): Promise<WebhookRow | undefined> {
  return q.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
}

export function activeWebhooks(q: SchemaQueries): Promise<WebhookRow[]> {
  return q.selectFrom('webhooks').selectAll().where('deleted_at', 'is', null).execute();
}

/** Settles one delivery (`events` events, up to `seq`) of a webhook's source: the cursor moves past it, counters follow. */
export async function settle(
  q: SchemaQueries,
  webhookId: string,
  source: string,
  seq: number,
  outcome: 'skipped' | 'delivered' | 'parked',
  events = 1,
): Promise<void> {
  await q
    .updateTable('webhook_cursors')
    .set({ seq })
    .where('webhook_id', '=', webhookId)
    .where('source', '=', source)
    .where('seq', '<', String(seq))
    .execute();
  if (outcome === 'delivered')
    await q
      .updateTable('webhooks')
      .set({ delivered: sql`delivered + ${events}`, failing_since: null } as never)
      .where('id', '=', webhookId)
      .execute();
  if (outcome === 'parked')
    await q
      .updateTable('webhooks')
      .set({ parked: sql`parked + ${events}` } as never)
      .where('id', '=', webhookId)
      .execute();
}

/**
 * Settles a run of events of a webhook's source at once: the cursor moves to `seq` (never back),
 * `delivered` are counted, and a delivery clears the failing state.
 */
export async function settleBatch(
  q: SchemaQueries,
  webhookId: string,
  source: string,
  seq: number,
  delivered: number,
): Promise<void> {
  await q
    .updateTable('webhook_cursors')
    .set({ seq })
    .where('webhook_id', '=', webhookId)
    .where('source', '=', source)
    .where('seq', '<', String(seq))
    .execute();
  if (delivered > 0)
    await q
      .updateTable('webhooks')
      .set({ delivered: sql`delivered + ${delivered}`, failing_since: null } as never)
      .where('id', '=', webhookId)
      .execute();
}

/** The webhook's failing-since time, set to `now` unless already set (one statement). */
export async function markFailing(q: SchemaQueries, webhookId: string, now: Date): Promise<Date> {
  const row = await q
    .updateTable('webhooks')
    .set({ failing_since: sql`coalesce(failing_since, ${now})` } as never)
    .where('id', '=', webhookId)
    .returning('failing_since')
    .executeTakeFirstOrThrow();
  return row.failing_since ?? now;
}

export interface DeliveryRecord {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  source: string;
  seq: number;
  state: DeliveryState;
  attempts: number;
  at: Date;
  nextAttemptAt: Date | null;
  lastError: string;
  lastStatus: number;
  body: string;
  /** the events the body carries, in order (eventId is the first) */
  eventIds: string[];
  batched: boolean;
}

/** Records a failed (or finally delivered) attempt of a delivery that failed before. */
export async function recordAttempt(q: SchemaQueries, d: DeliveryRecord): Promise<void> {
  await q
    .insertInto('webhook_deliveries')
    .values({
      id: d.id,
      webhook_id: d.webhookId,
      event_id: d.eventId,
      event_type: d.eventType,
      source: d.source,
      seq: d.seq,
      state: d.state,
      attempts: d.attempts,
      first_attempt_at: d.at,
      last_attempt_at: d.at,
      next_attempt_at: d.nextAttemptAt,
      last_error: d.lastError,
      last_status: d.lastStatus,
      body: d.body,
      event_ids: d.eventIds,
      batched: d.batched,
    })
    .onConflict((c) =>
      c.columns(['webhook_id', 'event_id']).doUpdateSet({
        state: d.state,
        attempts: d.attempts,
        last_attempt_at: d.at,
        next_attempt_at: d.nextAttemptAt,
        last_error: d.lastError,
        last_status: d.lastStatus,
      }),
    )
    .execute();
}
