/**
 * The chaos bench's verdicts over what the services stored and published: duplicated effects,
 * the relay's progress, dead letters, and inline projections against a rebuild from position 0.
 */
import type { InlineProjection } from '@edgeplane/eventstore';
import { EventStore, createDatabase } from '@edgeplane/eventstore';
import type { JetStreamManager } from '@nats-io/jetstream';
import { sql } from 'kysely';
import { clusterService } from '../../services/cluster/src/service.js';
import { healthArbiterService } from '../../services/health-arbiter/src/service.js';
import { nodepoolService } from '../../services/nodepool/src/service.js';
import { tunnelService } from '../../services/tunnel/src/service.js';
import type { ChaosPostgres } from './infra.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Each service's database and schema, and its inline projections (what a rebuild replays). */
export const STORES: {
  service: string;
  schema: string;
  projections?: (schema: string) => InlineProjection[];
}[] = [
  { service: 'cluster', schema: clusterService.schema, projections: clusterService.projections },
  { service: 'nodepool', schema: nodepoolService.schema, projections: nodepoolService.projections },
  {
    service: 'health-arbiter',
    schema: healthArbiterService.schema,
    projections: healthArbiterService.projections,
  },
  { service: 'tunnel', schema: tunnelService.schema, projections: tunnelService.projections },
];

const CREATION_EVENTS = [
  'ClusterCreated',
  'JoinTokenCreated',
  'NodeJoined',
  'NodeUnitCreated',
  'NodeGroupCreated',
];

/**
 * Effects applied twice: a creation event appended twice on one stream, or two events of one type
 * on one stream caused by the same upstream event (a redelivery that got past the inbox).
 */
export async function duplicatedEffects(
  pg: ChaosPostgres,
  databaseOf: (service: string) => string,
): Promise<{ count: number; examples: string[] }> {
  let count = 0;
  const examples: string[] = [];
  for (const s of STORES) {
    const db = databaseOf(s.service);
    const created = await pg.query<{ stream_id: string; type: string; n: string }>(
      `SELECT stream_id, type, count(*) AS n FROM "${s.schema}".events WHERE type = ANY($1)
       GROUP BY 1, 2 HAVING count(*) > 1`,
      [CREATION_EVENTS],
      db,
    );
    const caused = await pg.query<{ stream_id: string; type: string; cause: string; n: string }>(
      `SELECT stream_id, type, metadata->>'causationId' AS cause, count(*) AS n FROM "${s.schema}".events
       WHERE metadata ? 'causationId' GROUP BY 1, 2, 3 HAVING count(*) > 1`,
      [],
      db,
    );
    for (const r of [...created, ...caused]) {
      count += Number(r.n) - 1;
      if (examples.length < 10) examples.push(`${s.service}: ${r.type} ×${r.n} on ${r.stream_id}`);
    }
  }
  return { count, examples };
}

/**
 * Events whose place in the relay's order (global_position, behind the exact outbox guard) — also
 * the order `rebuildProjections` replays — differs from their place in their own stream
 * (stream_version). Must be 0: an append sees its stream's previous version committed, so it draws
 * a higher position. (The old (tx_id, position) order did invert: a consumer's transaction takes
 * its tx id at its first write.)
 * A consumer or a rebuild that sees a stream's events out of order can end in another state.
 */
export async function streamOrderInversions(
  pg: ChaosPostgres,
  databaseOf: (service: string) => string,
): Promise<{ count: number; examples: string[] }> {
  let count = 0;
  const examples: string[] = [];
  for (const s of STORES) {
    const rows = await pg.query<{
      stream_id: string;
      type: string;
      stream_version: number;
      tx_id: string;
      global_position: string;
    }>(
      `SELECT stream_id, type, stream_version, tx_id::text, global_position FROM (
         SELECT *, row_number() OVER (PARTITION BY stream_id ORDER BY global_position) AS by_position,
                   row_number() OVER (PARTITION BY stream_id ORDER BY stream_version) AS by_version
         FROM "${s.schema}".events) x
       WHERE by_position <> by_version ORDER BY stream_id, stream_version`,
      [],
      databaseOf(s.service),
    );
    count += rows.length;
    for (const r of rows.slice(0, Math.max(0, 6 - examples.length))) {
      examples.push(
        `${s.service}: ${r.stream_id} v${r.stream_version} ${r.type} (tx ${r.tx_id}, position ${r.global_position})`,
      );
    }
  }
  return { count, examples };
}

/**
 * Relays that did not publish their whole log within `timeoutMs` (checkpoint below the last
 * position), and events parked as too big for the bus.
 */
export async function relayProgress(
  pg: ChaosPostgres,
  databaseOf: (service: string) => string,
  timeoutMs: number,
): Promise<{ stuck: string[]; parked: number; behind: Record<string, number> }> {
  const deadline = Date.now() + timeoutMs;
  const behind: Record<string, number> = {};
  let parked = 0;
  for (;;) {
    for (const s of STORES) {
      const db = databaseOf(s.service);
      const [row] = await pg.query<{ head: string | null; done: string | null }>(
        `SELECT (SELECT max(global_position) FROM "${s.schema}".events) AS head,
                (SELECT max(last_position) FROM "${s.schema}".relay_checkpoints) AS done`,
        [],
        db,
      );
      const head = Number(row?.head ?? 0);
      const done = Number(row?.done ?? 0);
      behind[s.service] = Math.max(0, head - done);
    }
    if (Object.values(behind).every((b) => b === 0) || Date.now() > deadline) break;
    await sleep(1000);
  }
  for (const s of STORES) {
    const rows = await pg
      .query<{ n: string }>(`SELECT count(*) AS n FROM "${s.schema}".relay_parked`, [], databaseOf(s.service))
      .catch(() => [{ n: '0' }]);
    parked += Number(rows[0]?.n ?? 0);
  }
  return { stuck: Object.keys(behind).filter((k) => behind[k]! > 0), parked, behind };
}

/** Messages on the dead-letter stream: count and, per consumer, the first error. */
export async function deadLetters(
  jsm: JetStreamManager,
): Promise<{ count: number; bySubject: Record<string, string> }> {
  let count = 0;
  const bySubject: Record<string, string> = {};
  for await (const stream of jsm.streams.list()) {
    if (!stream.config.name.endsWith('EDGEPLANE_DLQ')) continue;
    count += stream.state.messages;
    for (
      let seq = stream.state.first_seq;
      seq <= stream.state.last_seq && Object.keys(bySubject).length < 20;
      seq++
    ) {
      const m = await jsm.streams.getMessage(stream.config.name, { seq }).catch(() => undefined);
      if (!m) continue;
      const error =
        m.header?.get('Edgeplane-Error') || m.header?.get('error') || [...(m.header?.keys() ?? [])].join(',');
      bySubject[m.subject] ??= error.slice(0, 200);
    }
  }
  return { count, bySubject };
}

/**
 * Every inline projection of every service against a rebuild from position 0: the tables are
 * read, rebuilt through the same apply functions (EventStore.rebuildProjections), read again and
 * compared row for row. Run with the services stopped. Returns the rows that differ.
 */
export async function projectionMismatches(
  pg: ChaosPostgres,
  databaseOf: (service: string) => string,
): Promise<{ count: number; tables: Record<string, number>; examples: string[] }> {
  let count = 0;
  const tables: Record<string, number> = {};
  const examples: string[] = [];
  for (const s of STORES) {
    if (!s.projections) continue;
    const db = createDatabase({ url: pg.urlOf(databaseOf(s.service)), max: 2 });
    try {
      const projections = s.projections(s.schema);
      const store = new EventStore(db, s.schema).useProjections(...projections);
      const names = projections.flatMap((p) => p.tables);
      const snapshot = async () => {
        const out = new Map<string, Map<string, number>>();
        for (const t of names) {
          const rows = await sql<{
            row: string;
          }>`SELECT to_jsonb(t)::text AS row FROM ${sql.id(s.schema, t)} t`.execute(db);
          const bag = new Map<string, number>();
          for (const r of rows.rows) bag.set(r.row, (bag.get(r.row) ?? 0) + 1);
          out.set(t, bag);
        }
        return out;
      };
      const before = await snapshot();
      await store.rebuildProjections();
      const after = await snapshot();
      for (const t of names) {
        const a = before.get(t)!;
        const b = after.get(t)!;
        // rows the live table has and the rebuild does not, and the other way round; a row whose
        // content differs counts once
        let onlyLive = 0;
        let onlyRebuilt = 0;
        for (const [row, n] of a) {
          const m = b.get(row) ?? 0;
          if (n > m) {
            onlyLive += n - m;
            if (examples.length < 6) examples.push(`${s.service}.${t} live: ${row.slice(0, 300)}`);
          }
        }
        for (const [row, m] of b) {
          const n = a.get(row) ?? 0;
          if (m > n) {
            onlyRebuilt += m - n;
            if (examples.length < 12) examples.push(`${s.service}.${t} rebuilt: ${row.slice(0, 300)}`);
          }
        }
        const diff = Math.max(onlyLive, onlyRebuilt);
        if (diff > 0) tables[`${s.service}.${t}`] = diff;
        count += diff;
      }
    } finally {
      await db.destroy();
    }
  }
  return { count, tables, examples };
}
