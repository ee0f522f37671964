import { serviceTables, type EventStoreTables } from '@edgeplane/eventstore';
import type { ColumnType, Kysely, QueryCreator } from 'kysely';

type Int8 = ColumnType<string, number | string | bigint, number | string | bigint>;
type Time = ColumnType<Date, string | Date, string | Date>;

export interface EventsIndexTable {
  event_id: string;
  source: string;
  seq: Int8;
  type: string;
  cluster_id: string;
  occurred_at: Time;
}

export interface EventsIndexCursorsTable {
  source: string;
  seq: Int8;
}

export interface WebhooksTable {
  id: string;
  url: string;
  types: string[];
  cluster_id: string;
  node: string;
  unit: string;
  description: string;
  /** a SealedSecret (service-kit keyring), context `webhooks/<id>/secret` */
  secret: ColumnType<unknown, string, string>;
  created_at: Time;
  created_by: string;
  deleted_at: Time | null;
  failing_since: Time | null;
  delivered: ColumnType<string, never, never>;
  parked: ColumnType<string, never, never>;
  /** 0: one event per POST; 1..1000: CloudEvents batched mode, up to this many per POST */
  batch_max_events: ColumnType<number, number | undefined, number>;
  batch_max_wait_ms: ColumnType<number, number | undefined, number>;
}

export interface WebhookCursorsTable {
  webhook_id: string;
  source: string;
  seq: Int8;
}

export type DeliveryState = 'RETRYING' | 'DELIVERED' | 'PARKED';

export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  source: string;
  seq: Int8;
  state: DeliveryState;
  attempts: number;
  first_attempt_at: Time;
  last_attempt_at: Time;
  next_attempt_at: Time | null;
  last_error: string;
  last_status: number;
  body: string;
  /** the events the body carries, in order (one, or a batch's) */
  event_ids: ColumnType<string[], string[] | undefined, string[]>;
  /** the body is a CloudEvents batch (a JSON array) */
  batched: ColumnType<boolean, boolean | undefined, boolean>;
}

/** The events service's own tables (migrations.ts creates them), next to the event store's. */
export type EventsTables = {
  events_index: EventsIndexTable;
  events_index_cursors: EventsIndexCursorsTable;
  webhooks: WebhooksTable;
  webhook_cursors: WebhookCursorsTable;
  webhook_deliveries: WebhookDeliveriesTable;
};

export type Database = EventStoreTables & EventsTables;
export type ServiceDb = Kysely<Database>;
export type SchemaQueries = QueryCreator<Database>;

export const { tables, inSchema } = serviceTables<EventsTables>();
