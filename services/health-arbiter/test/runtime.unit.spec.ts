import { describe, expect, it } from 'vitest';
import { parsePartitions, HealthArbiterConfigSchema } from '../src/config.js';
import { planPartitions } from '../src/leases/lease-plan.js';
import { ingestSignal } from '../src/signals/signal-ingest.js';
import { ingestCounts } from '../src/health.metrics.js';
import { engine, join, s } from './fixtures.js';

const enc = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
const HB = 'edgeplane.signal.c1.p07.heartbeat';
const PROBE = 'edgeplane.signal.c1.p07.probe';

describe('HEALTH_PARTITIONS', () => {
  it('parses numbers and ranges, sorted and deduplicated', () => {
    expect(parsePartitions('0-3, 2,7')).toEqual([0, 1, 2, 3, 7]);
    expect(parsePartitions('0-31')).toHaveLength(32);
  });
  it('refuses ranges outside 0-31, reversed ranges and junk, naming them', () => {
    expect(() => parsePartitions('30-32')).toThrow(/30-32.*0-31/);
    expect(() => parsePartitions('5-2')).toThrow(/5-2/);
    expect(() => parsePartitions('a')).toThrow(/"a"/);
    const parsed = HealthArbiterConfigSchema.safeParse({
      GRPC_PORT: '1',
      METRICS_PORT: '2',
      HEALTH_PARTITIONS: '40',
    });
    expect(parsed.success).toBe(false);
  });
  it('defaults to every partition', () => {
    const c = HealthArbiterConfigSchema.parse({ GRPC_PORT: '1', METRICS_PORT: '2' });
    expect(c.HEALTH_PARTITIONS).toHaveLength(32);
    expect(c.HEALTH_TICK_MS).toBe(1000);
  });
});

describe('partition lease plan (fair share among live instances)', () => {
  const all = Array.from({ length: 32 }, (_, p) => p);
  const counts = (plan: Map<number, string>) => {
    const out: Record<string, number> = {};
    for (const id of plan.values()) out[id] = (out[id] ?? 0) + 1;
    return out;
  };
  it('gives one instance every partition, three instances 11/11/10', () => {
    expect(counts(planPartitions([{ id: 'a', allowed: all }]))).toEqual({ a: 32 });
    const three = planPartitions([
      { id: 'c', allowed: all },
      { id: 'a', allowed: all },
      { id: 'b', allowed: all },
    ]);
    expect(three.size).toBe(32);
    expect(Object.values(counts(three)).sort()).toEqual([10, 11, 11]);
  });
  it('is the same whatever order the members are listed in', () => {
    const m = [
      { id: 'x-1', allowed: all },
      { id: 'y-2', allowed: all },
      { id: 'z-3', allowed: all },
    ];
    expect([...planPartitions(m)].sort()).toEqual([...planPartitions([...m].reverse())].sort());
  });
  it('respects HEALTH_PARTITIONS: a partition only goes to an instance allowed to take it', () => {
    const plan = planPartitions([
      { id: 'low', allowed: all.slice(0, 16) },
      { id: 'any', allowed: all },
    ]);
    for (let p = 16; p < 32; p++) expect(plan.get(p)).toBe('any');
    expect(counts(plan)).toEqual({ low: 16, any: 16 });
    expect(planPartitions([{ id: 'low', allowed: [0, 1] }]).size).toBe(2);
  });
  it('moves few partitions when an instance leaves', () => {
    const m = ['a', 'b', 'c'].map((id) => ({ id, allowed: all }));
    const before = planPartitions(m);
    const after = planPartitions(m.filter((x) => x.id !== 'c'));
    const moved = all.filter((p) => before.get(p) !== 'c' && before.get(p) !== after.get(p));
    expect(Object.values(counts(after)).sort()).toEqual([16, 16]);
    expect(moved.length).toBeLessThanOrEqual(6);
  });
});

describe('signal ingestion', () => {
  it('stamps a heartbeat with the receipt time, never the agent clock', () => {
    const e = engine({ graceMs: 40_000 });
    join(e, ['n1']);
    ingestSignal(
      e,
      'c1',
      HB,
      enc({ v: 1, clusterId: 'c1', node: 'n1', sentAt: '1999-01-01T00:00:00.000Z' }),
      s(100),
    );
    const x = e.explain('n1', s(110))!;
    expect(x.cloud.lastSeen).toBe(new Date(s(100)).toISOString());
    expect(x.cloud.ageMs).toBe(10_000);
  });

  it('counts a probe report as one observation per result and stamps its votes on receipt', () => {
    const e = engine();
    join(e, ['a', 'b', 'c']);
    const before = ingestCounts.observations;
    ingestSignal(
      e,
      'c1',
      PROBE,
      enc({
        v: 1,
        clusterId: 'c1',
        reporter: 'a',
        sentAt: '2000-01-01T00:00:00Z',
        results: [
          { peer: 'b', healthy: true },
          { peer: 'c', healthy: false },
        ],
      }),
      s(5),
    );
    expect(ingestCounts.observations - before).toBe(2);
    const votes = e.explain('c', s(7))!.peers;
    expect(votes).toEqual([expect.objectContaining({ peer: 'a', healthy: false, ageMs: 2000 })]);
  });

  it('drops and counts invalid signals: bad JSON, schema failure, a body naming another cluster', () => {
    const e = engine();
    join(e, ['n1']);
    const before = ingestCounts.invalid;
    ingestSignal(e, 'c1', HB, new TextEncoder().encode('{nope'), s(1));
    ingestSignal(e, 'c1', HB, enc({ v: 2, clusterId: 'c1', node: 'n1' }), s(1));
    ingestSignal(e, 'c1', HB, enc({ v: 1, clusterId: 'c2', node: 'n1' }), s(1));
    ingestSignal(e, 'c1', PROBE, enc({ v: 1, clusterId: 'c1', reporter: 'n1', results: 'x' }), s(1));
    expect(ingestCounts.invalid - before).toBe(4);
    expect(e.explain('n1', s(2))!.cloud.lastSeen).toBeNull();
  });
});
