import { trace, SpanKind, SpanStatusCode, type Attributes, type Span } from '@opentelemetry/api';
import {
  catalogue,
  upcastEvent,
  validateEventData,
  type EventDefinition,
  type WithEventData,
  type EventMetadata,
} from '@edgeplane/contracts';
import { ValidationError, VersionConflictError } from '@edgeplane/es-kit';
import { currentActor, traceFields } from '@edgeplane/observability';
import { sql, type Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { assertSchemaName } from './database.js';
import type { Db, Trx } from './db/database.js';
import type { EventsTable } from './db/events.table.js';

const tracer = trace.getTracer('@edgeplane/eventstore');

/**
 * The authenticated caller of the gRPC call being served (service kit access interceptor): it
 * replaces any `actor` the code passed in metadata, so no client-supplied string becomes one.
 */
const actorField = (): { actor?: string } => {
  const actor = currentActor();
  return actor ? { actor } : {};
};

export interface NewEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
  /** catalogue schema version; default: the newest of the type */
  version?: number;
  /** pre-assigned id (tests); a UUIDv7 is generated otherwise */
  id?: string;
}

export interface StoredEvent<Data = unknown> {
  id: string;
  type: string;
  version: number;
  streamId: string;
  streamVersion: number;
  globalPosition: number;
  txId: number;
  occurredAt: string;
  data: Data;
  metadata: EventMetadata;
}

/** A stored catalogue event — or a union over several — with its data typed by the schema. */
export type StoredEventOf<D extends EventDefinition | readonly EventDefinition[]> = WithEventData<
  StoredEvent,
  D
>;

/** 'any': no check; n ≥ 0: the stream's current version must be n (0: it must not exist yet). */
export type ExpectedVersion = number | 'any';

export interface AppendResult {
  streamVersion: number;
  events: StoredEvent[];
}

/** An inline projection: applied in the same transaction as the append, replayable from zero. */
export interface InlineProjection {
  readonly name: string;
  /** tables it owns; rebuild truncates them */
  readonly tables: string[];
  /** event types it reacts to (others are skipped without a call) */
  readonly handles: readonly string[];
  apply(trx: Trx, event: StoredEvent): Promise<void>;
  /** optional set-based form used by `appendMany` (one statement for many events) */
  applyMany?(trx: Trx, events: StoredEvent[]): Promise<void>;
}

/**
 * Declares an inline projection over catalogue events: `apply` gets them typed (the store calls
 * it only for these events, whose data was validated against the same schemas on append).
 */
export function defineProjection<const Events extends readonly EventDefinition[]>(projection: {
  name: string;
  tables: string[];
  events: Events;
  apply(trx: Trx, event: StoredEventOf<Events>): Promise<void>;
  applyMany?(trx: Trx, events: StoredEventOf<Events>[]): Promise<void>;
}): InlineProjection {
  const { events, apply, applyMany } = projection;
  const handles = events.map((e) => e.type);
  // The one narrowing from StoredEvent to the declared union: `handles` gates every call.
  const typed = (event: StoredEvent) => event as StoredEventOf<Events>;
  return {
    name: projection.name,
    tables: projection.tables,
    handles,
    apply: (trx, event) => apply(trx, typed(event)),
    ...(applyMany ? { applyMany: (trx: Trx, many: StoredEvent[]) => applyMany(trx, many.map(typed)) } : {}),
  };
}

/** One stream's part of an `appendMany`. */
export interface StreamAppend {
  streamId: string;
  /** the version the decision was made on (0: new stream) */
  expectedVersion: number;
  events: NewEvent[];
}

type EventRow = Selectable<EventsTable>;

/** The schema version an append records: the one named, or the catalogue's newest of the type. */
function versionOf(e: NewEvent): number {
  return e.version ?? catalogue.latestVersion(e.type);
}

/** A stored row as readers see it: a superseded schema version upcast to the newest (libs/contracts). */
export function rowToEvent(row: EventRow): StoredEvent {
  const { version, data } = upcastEvent(row.type, row.schema_version, row.data);
  return {
    id: row.event_id,
    type: row.type,
    version,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    globalPosition: Number(row.global_position),
    txId: Number(row.tx_id),
    occurredAt: row.occurred_at.toISOString(),
    data,
    metadata: row.metadata ?? {},
  };
}

/**
 * Largest event data (serialised JSON bytes) an append accepts: well under NATS's 1 MiB payload
 * limit, so an accepted event can always be published. The services bound their inputs before
 * this; this is the backstop, refused as INVALID_ARGUMENT naming the event type and its size.
 */
export const MAX_EVENT_DATA_BYTES = 512 * 1024;

function checkedEventData(type: string, data: unknown, maxBytes: number): string {
  const json = JSON.stringify(data);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > maxBytes) {
    throw ValidationError.field(
      '(request)',
      `the change would record a ${type} event of ${bytes} bytes; at most ${maxBytes} bytes are accepted`,
    );
  }
  return json;
}

/**
 * Event store of one service schema. Streams version from 1; version 0 means "no stream".
 * Optimistic concurrency rides on UNIQUE(stream_id, stream_version): a writer that read a stale
 * version collides on insert and gets a VersionConflictError — no lock is taken on read.
 */
export class EventStore {
  readonly schema: string;
  private readonly projections: InlineProjection[] = [];
  readonly notifyChannel: string;
  /** see MAX_EVENT_DATA_BYTES */
  maxEventDataBytes = MAX_EVENT_DATA_BYTES;

  constructor(
    readonly db: Db,
    schema: string,
  ) {
    this.schema = assertSchemaName(schema);
    this.notifyChannel = `${this.schema}_events`;
  }

  /** Registers inline projections, applied inside every append transaction. */
  useProjections(...projections: InlineProjection[]): this {
    this.projections.push(...projections);
    return this;
  }

  get inlineProjections(): readonly InlineProjection[] {
    return this.projections;
  }

  async readStream(streamId: string, options: { trx?: Trx } = {}): Promise<StoredEvent[]> {
    const rows = await (options.trx ?? this.db)
      .withSchema(this.schema)
      .selectFrom('events')
      .selectAll()
      .where('stream_id', '=', streamId)
      .orderBy('stream_version')
      .execute();
    return rows.map(rowToEvent);
  }

  async streamVersion(streamId: string, trx?: Db | Trx): Promise<number> {
    const row = await (trx ?? this.db)
      .withSchema(this.schema)
      .selectFrom('events')
      .select((eb) => eb.fn.max('stream_version').as('v'))
      .where('stream_id', '=', streamId)
      .executeTakeFirst();
    return Number(row?.v ?? 0);
  }

  /**
   * Appends events to one stream. Validates every event against the catalogue, records trace
   * context in metadata, applies inline projections and NOTIFYs the relay — all in one
   * transaction (the caller's, when `trx` is given).
   */
  async append(
    streamId: string,
    expectedVersion: ExpectedVersion,
    events: NewEvent[],
    options: { metadata?: EventMetadata; trx?: Trx; occurredAt?: Date } = {},
  ): Promise<AppendResult> {
    if (events.length === 0) {
      return {
        streamVersion: expectedVersion === 'any' ? await this.streamVersion(streamId) : expectedVersion,
        events: [],
      };
    }
    return inSpan(
      'eventstore.append',
      { 'eventstore.schema': this.schema, 'eventstore.stream': streamId, 'eventstore.count': events.length },
      async (span) => {
        const metadata: EventMetadata = { ...options.metadata, ...traceFields(), ...actorField() };
        const needsTx = this.projections.some((p) => events.some((e) => p.handles.includes(e.type)));
        const insert = (q: Db | Trx) =>
          this.insert(q, streamId, expectedVersion, events, metadata, options.occurredAt);
        const inTrx = async (trx: Trx) => {
          const appended = await insert(trx);
          for (const event of appended.events) await this.applyProjections(trx, event);
          return appended;
        };
        // One INSERT is atomic on its own: without inline projections no explicit transaction
        // (and its two extra round trips) is needed.
        const result = options.trx
          ? await inTrx(options.trx)
          : needsTx
            ? await this.db.transaction().execute(inTrx)
            : await insert(this.db);
        span.setAttribute('eventstore.version', result.streamVersion);
        return result;
      },
    );
  }

  private async insert(
    q: Db | Trx,
    streamId: string,
    expectedVersion: ExpectedVersion,
    events: NewEvent[],
    metadata: EventMetadata,
    occurredAt?: Date,
  ): Promise<AppendResult> {
    const meta = JSON.stringify(metadata);
    const at = occurredAt ? occurredAt.toISOString() : null;
    const values = events.map(
      (e, i) =>
        sql`(${e.id ?? uuidv7()}::uuid, ${i + 1}::int, ${e.type}::text, ${versionOf(e)}::int, ${checkedEventData(
          e.type,
          validateEventData(e.type, versionOf(e), e.data),
          this.maxEventDataBytes,
        )}::jsonb)`,
    );
    // The version check and the insert are one statement: the stream's current version is read in
    // the same snapshot, and UNIQUE(stream_id, stream_version) settles a race between two writers.
    const guard = expectedVersion === 'any' ? sql`TRUE` : sql`cur.v = ${expectedVersion}::int`;
    let inserted: EventRow[];
    try {
      const res = await sql<EventRow>`
        WITH cur AS (
          SELECT coalesce(max(stream_version), 0) AS v FROM ${sql.id(this.schema, 'events')} WHERE stream_id = ${streamId}
        )
        INSERT INTO ${sql.id(this.schema, 'events')}
          (event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at)
        SELECT x.event_id, ${streamId}, cur.v + x.ord, x.type, x.schema_version, x.data, ${meta}::jsonb,
               coalesce(${at}::timestamptz, now())
        FROM (VALUES ${sql.join(values)}) AS x(event_id, ord, type, schema_version, data), cur
        WHERE ${guard}
        RETURNING *`.execute(q);
      inserted = res.rows;
    } catch (error) {
      if (isUniqueViolation(error, 'events_stream_version_uq')) {
        throw new VersionConflictError(streamId, expectedVersion === 'any' ? -1 : expectedVersion);
      }
      throw error;
    }
    if (inserted.length === 0) {
      throw new VersionConflictError(
        streamId,
        expectedVersion as number,
        await this.streamVersion(streamId, q),
      );
    }
    const stored = inserted.map(rowToEvent).sort((a, b) => a.streamVersion - b.streamVersion);
    return { streamVersion: stored[stored.length - 1]!.streamVersion, events: stored };
  }

  /**
   * Appends to many streams in ONE guarded INSERT (and one transaction): each stream's current
   * version must equal its expected version, checked in the statement's snapshot, and the unique
   * constraint settles races — the same guarantees as `append`, without three round trips per
   * stream (the health-arbiter records a tick's verdict changes for thousands of nodes at once).
   * Inline projections get the whole batch through `applyMany` when they have it. All or nothing:
   * a VersionConflictError names the first stream that moved on.
   */
  async appendMany(
    appends: readonly StreamAppend[],
    options: { metadata?: EventMetadata; trx?: Trx } = {},
  ): Promise<StoredEvent[]> {
    const input: Record<string, unknown>[] = [];
    for (const a of appends) {
      a.events.forEach((e, i) => {
        const version = versionOf(e);
        input.push({
          seq: input.length,
          event_id: e.id ?? uuidv7(),
          stream_id: a.streamId,
          expected: a.expectedVersion,
          ord: i + 1,
          type: e.type,
          schema_version: version,
          data: validateEventData(e.type, version, e.data),
        });
        checkedEventData(e.type, input[input.length - 1]!.data, this.maxEventDataBytes);
      });
    }
    if (input.length === 0) return [];
    return inSpan(
      'eventstore.appendMany',
      {
        'eventstore.schema': this.schema,
        'eventstore.streams': appends.length,
        'eventstore.count': input.length,
      },
      async () => {
        const metadata = JSON.stringify({ ...options.metadata, ...traceFields(), ...actorField() });
        const run = async (trx: Trx) => {
          const events = sql.id(this.schema, 'events');
          let rows: EventRow[];
          try {
            rows = (
              await sql<EventRow>`
                  WITH input AS (
                    SELECT * FROM jsonb_to_recordset(${JSON.stringify(input)}::jsonb) AS x(seq integer, event_id uuid,
                      stream_id text, expected integer, ord integer, type text, schema_version integer, data jsonb)
                  ), cur AS (
                    SELECT s.stream_id,
                      coalesce((SELECT max(e.stream_version) FROM ${events} e WHERE e.stream_id = s.stream_id), 0) AS v
                    FROM (SELECT DISTINCT stream_id FROM input) s
                  )
                  INSERT INTO ${events} (event_id, stream_id, stream_version, type, schema_version, data, metadata)
                  SELECT i.event_id, i.stream_id, cur.v + i.ord, i.type, i.schema_version, i.data, ${metadata}::jsonb
                  FROM input i JOIN cur ON cur.stream_id = i.stream_id
                  WHERE cur.v = i.expected
                  ORDER BY i.seq
                  RETURNING *`.execute(trx)
            ).rows;
          } catch (error) {
            if (isUniqueViolation(error, 'events_stream_version_uq')) {
              throw new VersionConflictError(appends[0]!.streamId, appends[0]!.expectedVersion);
            }
            throw error;
          }
          if (rows.length !== input.length) {
            const written = new Set(rows.map((r) => r.stream_id));
            const moved = appends.find((a) => !written.has(a.streamId)) ?? appends[0]!;
            throw new VersionConflictError(
              moved.streamId,
              moved.expectedVersion,
              await this.streamVersion(moved.streamId, trx),
            );
          }
          const stored = rows.map(rowToEvent).sort((a, b) => a.globalPosition - b.globalPosition);
          for (const p of this.projections) {
            const mine = stored.filter((e) => p.handles.includes(e.type));
            if (mine.length === 0) continue;
            if (p.applyMany) await p.applyMany(trx, mine);
            else for (const e of mine) await p.apply(trx, e);
          }
          return stored;
        };
        return options.trx ? await run(options.trx) : await this.db.transaction().execute(run);
      },
    );
  }

  private async applyProjections(trx: Trx, event: StoredEvent): Promise<void> {
    for (const p of this.projections) if (p.handles.includes(event.type)) await p.apply(trx, event);
  }

  /**
   * Reads committed events after a position, in position order — the order of each stream's
   * versions (an append sees the stream's previous version committed, so it draws a higher
   * position). For reads of a log at rest (rebuilds, checks); the relay reads through the exact
   * outbox guard instead (relay.ts `readPublishable`), which also waits for slow writers.
   */
  async readAllAfter(position: number, limit: number, trx?: Trx): Promise<StoredEvent[]> {
    const rows = await (trx ?? this.db)
      .withSchema(this.schema)
      .selectFrom('events')
      .selectAll()
      .where('global_position', '>', position)
      .orderBy('global_position')
      .limit(limit)
      .execute();
    return rows.map(rowToEvent);
  }

  /** Highest position ever assigned (for lag metrics). */
  async headPosition(): Promise<number> {
    const row = await this.db
      .withSchema(this.schema)
      .selectFrom('events')
      .select((eb) => eb.fn.max('global_position').as('p'))
      .executeTakeFirst();
    return Number(row?.p ?? 0);
  }

  /**
   * Rebuilds inline projections from position 0: truncates their tables and replays the whole
   * log through the same apply functions, in one transaction (readers see old or new, never half).
   */
  async rebuildProjections(names?: string[]): Promise<number> {
    const targets = this.projections.filter((p) => !names || names.includes(p.name));
    return this.db.transaction().execute(async (trx) => {
      for (const p of targets)
        for (const t of p.tables) await sql`TRUNCATE ${sql.id(this.schema, t)}`.execute(trx);
      // Position order, not commit (tx_id) order: a consumer's transaction draws its tx id at its
      // first write (the inbox row), so a later version of a stream can carry a lower tx id than
      // an earlier one (the chaos bench saw NodeCordoned v3 replayed after v4, and the rebuild's
      // last_position guard then dropped the cordon). Positions follow each stream's versions.
      let position = 0;
      let count = 0;
      for (;;) {
        const batch = await this.readAllAfter(position, 1000, trx);
        if (batch.length === 0) break;
        for (const event of batch) {
          for (const p of targets) if (p.handles.includes(event.type)) await p.apply(trx, event);
          position = event.globalPosition;
          count++;
        }
      }
      return count;
    });
  }
}

/** Runs `work` in an active span of the store, recording a failure on it. */
function inSpan<T>(name: string, attributes: Attributes, work: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { kind: SpanKind.INTERNAL, attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}
