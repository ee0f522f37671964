import { signalPartition } from '@edgeplane/contracts';
import { AggregateHandler, EventStore } from '@edgeplane/eventstore';
import { createLogger } from '@edgeplane/observability';
import { freshSchema, type TestDatabase } from '@edgeplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inSchema, type SchemaQueries } from '../src/db/database.js';
import { healthArbiterMigrations } from '../src/db/migrations.js';
import { settingsProjection } from '../src/projections/settings.projection.js';
import { verdictsProjection } from '../src/projections/verdicts.projection.js';
import { raiseFence } from '../src/read-model/fences.queries.js';
import { healthConfig } from '../src/read-model/settings.queries.js';
import {
  healthSettingsDecider,
  healthSettingsStreamId,
  type HealthSettingsCommand,
} from '../src/settings/settings.decider.js';
import { NodeVerdictHandler } from '../src/verdict/verdict.handler.js';
import { engine, heartbeat, join, probeRound, s } from './fixtures.js';

const now = '2026-03-01T10:00:00.000Z';

/**
 * The inline projections against a real PostgreSQL schema: what the aggregates and the verdict
 * handler append lands in the read model, and the read model is the same after a rebuild from
 * position 0 (twice) and after every event is applied a second time (position guards).
 */
describe('health-arbiter projections over a real schema, replayed', () => {
  let t: TestDatabase;
  let store: EventStore;
  let q: SchemaQueries;

  const snapshot = async () => ({
    settings: await q.selectFrom('proj_health_settings').selectAll().orderBy('cluster_id').execute(),
    verdicts: await q.selectFrom('proj_verdicts').selectAll().orderBy('cluster_id').orderBy('node').execute(),
    history: await q
      .selectFrom('proj_verdict_history')
      .selectAll()
      .orderBy('cluster_id')
      .orderBy('node')
      .orderBy('position')
      .execute(),
  });

  /** Every event once more on top of the read model, without truncating it. */
  const applyAllAgain = async () => {
    const events = await store.readAllAfter(0, 10_000);
    await t.db.transaction().execute(async (trx) => {
      for (const event of events)
        for (const p of store.inlineProjections)
          if (p.handles.includes(event.type)) await p.apply(trx, event);
    });
  };

  beforeAll(async () => {
    t = await freshSchema('ha_proj', healthArbiterMigrations);
    store = new EventStore(t.db, t.schema).useProjections(
      settingsProjection(t.schema),
      verdictsProjection(t.schema),
    );
    q = inSchema(t.db, t.schema);
  });

  afterAll(async () => {
    await t?.drop();
  });

  it('settings: changes and unit switches fold into the settings the aggregate holds', async () => {
    const settings = new AggregateHandler(store, healthSettingsDecider);
    const run = async (commands: HealthSettingsCommand[]) => {
      let state = healthSettingsDecider.initialState;
      for (const command of commands)
        state = (await settings.handle(healthSettingsStreamId(command.clusterId), command)).state;
      return state;
    };
    const c1 = await run([
      { type: 'ConfigureHealth', clusterId: 'c1', multiRegion: true, graceSeconds: 10, actor: 'alice', now },
      { type: 'SetUnitHealthCheck', clusterId: 'c1', unit: 'u-b', enabled: false, actor: 'bob', now },
      { type: 'SetUnitHealthCheck', clusterId: 'c1', unit: 'u-a', enabled: false, actor: 'bob', now },
      { type: 'SetUnitHealthCheck', clusterId: 'c1', unit: 'u-b', enabled: true, actor: 'carol', now },
    ]);
    // a cluster whose first change is a unit switch starts from the defaults
    const c2 = await run([
      { type: 'SetUnitHealthCheck', clusterId: 'c2', unit: 'u-z', enabled: false, actor: 'dave', now },
      { type: 'ConfigureHealth', clusterId: 'c2', noEviction: true, actor: 'erin', now },
    ]);
    expect((await healthConfig(q, 'c1')).settings).toEqual(c1.settings);
    expect((await healthConfig(q, 'c1')).settings).toMatchObject({
      multiRegion: true,
      graceSeconds: 10,
      disabledUnits: ['u-a'],
    });
    expect(await healthConfig(q, 'c2')).toEqual({
      clusterId: 'c2',
      settings: c2.settings,
      changedBy: 'erin',
      changedAt: now,
    });
    expect(c2.settings).toMatchObject({ noEviction: true, disabledUnits: ['u-z'] });
  });

  it('verdicts: batched and single appends, eviction requests included, give one row and the history per node', async () => {
    const logger = createLogger('test', 'silent');
    // the verdicts of c1's partition are written under epoch 1 of its fence
    await raiseFence(q, signalPartition('c1'), 1, 'test');
    const epochs = new Map([[signalPartition('c1'), 1]]);
    const handler0 = () => new NodeVerdictHandler(store, t.db, t.schema, logger);
    const e = engine();
    const all = ['a', 'b', 'c', 'x'];
    join(e, all);
    heartbeat(e, all, s(1));
    // a tick's changes in one appendMany (the projection's batch path)
    await handler0().record(e.tick(s(1)), epochs);
    heartbeat(e, ['a', 'b', 'c'], s(30));
    probeRound(e, ['a', 'b', 'c'], all, (p) => p !== 'x', s(30));
    const handler = handler0();
    handler.remember(
      all.map((node) => ({
        clusterId: 'c1',
        node,
        version: 1,
        verdict: 'Ready',
        rule: 'cloud-contact',
        since: now,
      })),
    );
    const evicted = e.tick(s(45));
    expect(evicted.map((c) => [c.node, c.verdict])).toEqual([['x', 'NotReadyNoExecute']]);
    await handler.record(evicted, epochs);
    // x comes back, then goes down again, each recorded by a handler that knows nothing: the
    // batch conflicts and every change is appended on its own (the projection's one-event path)
    heartbeat(e, all, s(50));
    await handler0().record(e.tick(s(50)), epochs);
    heartbeat(e, ['a', 'b', 'c'], s(80));
    probeRound(e, ['a', 'b', 'c'], all, (p) => p !== 'x', s(80));
    const again = e.tick(s(95));
    expect(again.map((c) => [c.node, c.verdict])).toEqual([['x', 'NotReadyNoExecute']]);
    await handler0().record(again, epochs);

    const x = await q
      .selectFrom('proj_verdicts')
      .selectAll()
      .where('cluster_id', '=', 'c1')
      .where('node', '=', 'x')
      .executeTakeFirstOrThrow();
    // Ready, NoExecute + eviction, Ready, NoExecute + eviction: the stream is at version 6
    expect(x).toMatchObject({ verdict: 'NotReadyNoExecute', previous: 'Ready', rule: 'peers-confirm-down' });
    expect(x.stream_version).toBe(6);
    expect(x.evidence.quorum).toMatchObject({ unhealthyVotes: 3 });
    const history = await q
      .selectFrom('proj_verdict_history')
      .select(['verdict', 'previous'])
      .where('node', '=', 'x')
      .orderBy('position')
      .execute();
    expect(history).toEqual([
      { verdict: 'Ready', previous: null },
      { verdict: 'NotReadyNoExecute', previous: 'Ready' },
      { verdict: 'Ready', previous: 'NotReadyNoExecute' },
      { verdict: 'NotReadyNoExecute', previous: 'Ready' },
    ]);
  });

  it('a rebuild from position 0, twice, and every event applied again leave the read model as it was', async () => {
    const before = await snapshot();
    expect(before.settings).toHaveLength(2);
    expect(before.verdicts).toHaveLength(4);
    expect(await store.rebuildProjections()).toBeGreaterThan(0);
    expect(await snapshot()).toEqual(before);
    await store.rebuildProjections();
    expect(await snapshot()).toEqual(before);
    await applyAllAgain();
    expect(await snapshot()).toEqual(before);
  });
});
