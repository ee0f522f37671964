import type { NodeVerdictChangedData } from '@edgeplane/contracts';
import type { InlineProjection, StoredEvent, Trx } from '@edgeplane/eventstore';
import { sql } from 'kysely';

/**
 * proj_verdicts (latest verdict + evidence per node, and the verdict stream's version so the
 * arbiter can append without reading the stream back) and proj_verdict_history (every change,
 * so ExplainNode's history survives restarts). Inline: written in the transaction that records
 * the verdict; guarded by position so a rebuild replays to the same rows.
 *
 * `applyVerdictEvents` takes many events at once (a tick's worth, from the batch recorder: three
 * statements for the whole batch); the inline projection calls it with one event.
 */
export async function applyVerdictEvents(
  trx: Trx,
  schema: string,
  events: readonly StoredEvent[],
): Promise<void> {
  const verdicts = sql.id(schema, 'proj_verdicts');
  const history = sql.id(schema, 'proj_verdict_history');
  const rows = new Map<string, Record<string, unknown>>();
  const bumps: { cluster_id: string; node: string; stream_version: number; last_position: number }[] = [];
  for (const event of events) {
    const d = event.data as NodeVerdictChangedData;
    const key = `${d.clusterId}\u0000${d.node}`;
    if (event.type === 'NodeVerdictChanged') {
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
    } else if (event.type === 'NodeEvictionRequested') {
      const row = rows.get(key);
      if (row && (row.stream_version as number) < event.streamVersion) {
        row.stream_version = event.streamVersion;
        row.last_position = event.globalPosition;
      } else if (!row) {
        bumps.push({
          cluster_id: d.clusterId,
          node: d.node,
          stream_version: event.streamVersion,
          last_position: event.globalPosition,
        });
      }
    }
  }
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

export function verdictsProjection(schema: string): InlineProjection {
  return {
    name: 'health-verdicts',
    tables: ['proj_verdicts', 'proj_verdict_history'],
    handles: ['NodeVerdictChanged', 'NodeEvictionRequested'],
    apply: (trx: Trx, event: StoredEvent) => applyVerdictEvents(trx, schema, [event]),
    applyMany: (trx: Trx, events: StoredEvent[]) => applyVerdictEvents(trx, schema, events),
  };
}
