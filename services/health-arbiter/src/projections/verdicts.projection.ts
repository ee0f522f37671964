import { NodeEvictionRequested, NodeVerdictChanged } from '@edgeplane/contracts';
import { defineProjection, type InlineProjection, type StoredEventOf, type Trx } from '@edgeplane/eventstore';
import { sql, type Selectable } from 'kysely';
import type { VerdictHistoryTable } from '../db/verdict-history.table.js';
import type { VerdictsTable } from '../db/verdicts.table.js';

const EVENTS = [NodeVerdictChanged, NodeEvictionRequested] as const;
type VerdictEvent = StoredEventOf<typeof EVENTS>;

/** One node's row of proj_verdicts and of proj_verdict_history, as the JSON the statements read. */
type VerdictRecord = Omit<Selectable<VerdictsTable>, 'since'> &
  Pick<Selectable<VerdictHistoryTable>, 'position'> & { since: string; at: string };
type VersionBump = Pick<
  Selectable<VerdictsTable>,
  'cluster_id' | 'node' | 'stream_version' | 'last_position'
>;

/**
 * proj_verdicts (latest verdict + evidence per node, and the verdict stream's version so the
 * arbiter can append without reading the stream back) and proj_verdict_history (every change,
 * so ExplainNode's history survives restarts). Inline: written in the transaction that records
 * the verdict; guarded by position so a rebuild replays to the same rows.
 *
 * A tick's worth of events (the batch recorder's `appendMany`) is applied with three statements
 * for the whole batch; the store applies a single appended event the same way.
 */
export function verdictsProjection(schema: string): InlineProjection {
  return defineProjection({
    name: 'health-verdicts',
    tables: ['proj_verdicts', 'proj_verdict_history'],
    events: EVENTS,
    apply: (trx, event) => applyVerdictEvents(trx, schema, [event]),
    applyMany: (trx, events) => applyVerdictEvents(trx, schema, events),
  });
}

async function applyVerdictEvents(trx: Trx, schema: string, events: readonly VerdictEvent[]): Promise<void> {
  const verdicts = sql.id(schema, 'proj_verdicts');
  const history = sql.id(schema, 'proj_verdict_history');
  const rows = new Map<string, VerdictRecord>();
  const bumps: VersionBump[] = [];
  for (const event of events) {
    const key = `${event.data.clusterId}\u0000${event.data.node}`;
    switch (event.type) {
      case 'NodeVerdictChanged': {
        const d = event.data;
        rows.set(key, {
          cluster_id: d.clusterId,
          node: d.node,
          verdict: d.verdict,
          previous: d.previous,
          rule: d.rule,
          since: d.at,
          taints: d.taints,
          condition: d.condition,
          evidence: d.evidence,
          stream_version: event.streamVersion,
          last_position: event.globalPosition,
          position: event.globalPosition,
          at: d.at,
        });
        break;
      }
      case 'NodeEvictionRequested': {
        // follows its NodeVerdictChanged on the same stream: only the stream version moves on
        const row = rows.get(key);
        if (row && row.stream_version < event.streamVersion) {
          row.stream_version = event.streamVersion;
          row.last_position = event.globalPosition;
        } else if (!row) {
          bumps.push({
            cluster_id: event.data.clusterId,
            node: event.data.node,
            stream_version: event.streamVersion,
            last_position: event.globalPosition,
          });
        }
        break;
      }
    }
  }
  // jsonb_to_recordset: one statement (and one parameter) for any number of rows
  if (rows.size > 0) {
    const json = JSON.stringify([...rows.values()]);
    await sql`
      INSERT INTO ${verdicts} AS v (cluster_id, node, verdict, previous, rule, since, taints, condition, evidence,
                                    stream_version, last_position)
      SELECT cluster_id, node, verdict, previous, rule, since, taints, condition, evidence, stream_version, last_position
      FROM jsonb_to_recordset(${json}::jsonb) AS x(cluster_id text, node text, verdict text, previous text, rule text,
        since timestamptz, taints jsonb, condition jsonb, evidence jsonb, stream_version integer, last_position bigint)
      ON CONFLICT (cluster_id, node) DO UPDATE SET
        verdict = excluded.verdict, previous = excluded.previous, rule = excluded.rule, since = excluded.since,
        taints = excluded.taints, condition = excluded.condition, evidence = excluded.evidence,
        stream_version = excluded.stream_version, last_position = excluded.last_position
      WHERE v.last_position < excluded.last_position`.execute(trx);
    await sql`
      INSERT INTO ${history} (cluster_id, node, position, at, verdict, previous, rule)
      SELECT cluster_id, node, position, at, verdict, previous, rule
      FROM jsonb_to_recordset(${json}::jsonb) AS x(cluster_id text, node text, position bigint, at timestamptz,
        verdict text, previous text, rule text)
      ON CONFLICT DO NOTHING`.execute(trx);
  }
  if (bumps.length > 0) {
    await sql`
      UPDATE ${verdicts} AS v SET stream_version = x.stream_version, last_position = x.last_position
      FROM jsonb_to_recordset(${JSON.stringify(bumps)}::jsonb) AS x(cluster_id text, node text, stream_version integer, last_position bigint)
      WHERE v.cluster_id = x.cluster_id AND v.node = x.node AND v.last_position < x.last_position`.execute(
      trx,
    );
  }
}
