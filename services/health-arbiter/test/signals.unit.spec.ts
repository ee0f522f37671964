import { describe, expect, it } from 'vitest';
import {
  Heartbeat,
  ProbeReport,
  SIGNAL_PARTITIONS,
  STREAMS,
  catalogue,
  fnv1a32,
  parseSignalSubject,
  signalPartition,
  signalPartitionFilter,
  signalSubject,
} from '@edgeplane/contracts';
import { TimerWheel } from '../src/engine/timer-wheel.js';

describe('signal contract (heartbeat, probe report)', () => {
  it('subjects are edgeplane.signal.<clusterId>.<pNN>.<kind>, with a stable FNV-1a partition', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c); // published FNV-1a test vector
    const p = signalPartition('cls-abc');
    expect(p).toBe(fnv1a32('cls-abc') % SIGNAL_PARTITIONS);
    const subject = signalSubject('heartbeat', 'cls-abc');
    expect(subject).toBe(`edgeplane.signal.cls-abc.p${String(p).padStart(2, '0')}.heartbeat`);
    expect(parseSignalSubject(subject)).toEqual({ clusterId: 'cls-abc', partition: p, kind: 'heartbeat' });
    expect(signalPartitionFilter(7)).toBe('edgeplane.signal.*.p07.*');
    expect(signalPartitionFilter(7, 'probe')).toBe('edgeplane.signal.*.p07.probe');
  });

  it('spreads clusters over the partitions', () => {
    const used = new Set(Array.from({ length: 1000 }, (_, i) => signalPartition(`cluster-${i}`)));
    expect(used.size).toBe(SIGNAL_PARTITIONS);
  });

  it('refuses a cluster id that is not a single subject token', () => {
    expect(() => signalSubject('probe', 'a.b')).toThrow(/subject token/);
    expect(Heartbeat.schema.safeParse({ v: 1, clusterId: 'a.*', node: 'n' }).success).toBe(false);
  });

  it('the SIGNALS stream covers the signal subjects with a short retention, longer than grace and TTL defaults', () => {
    expect(STREAMS.SIGNALS.subjects).toEqual(['edgeplane.signal.>']);
    expect(STREAMS.SIGNALS.maxAgeSeconds).toBeGreaterThanOrEqual(2 * 60);
    expect(STREAMS.SIGNALS.maxAgeSeconds).toBeLessThanOrEqual(15 * 60);
  });

  it('schemas accept what the gateway sends and reject malformed reports', () => {
    expect(
      ProbeReport.schema.safeParse({
        v: 1,
        clusterId: 'c1',
        reporter: 'gz-1',
        results: [{ peer: 'gz-2', healthy: true }],
      }).success,
    ).toBe(true);
    expect(
      ProbeReport.schema.safeParse({ v: 1, clusterId: 'c1', reporter: 'gz-1', results: [{ peer: 'gz-2' }] })
        .success,
    ).toBe(false);
    expect(
      Heartbeat.schema.safeParse({ v: 1, clusterId: 'c1', node: 'gz-1', units: ['gz'], sentAt: 'x', seq: 3 })
        .success,
    ).toBe(true);
  });

  it('signals are not domain events: they are not in the event catalogue', () => {
    expect(catalogue.all().some((d) => d.subject.startsWith('edgeplane.signal.'))).toBe(false);
    expect(catalogue.find('NodeVerdictChanged')?.subject).toBe('edgeplane.health.node.verdict-changed');
  });
});

describe('timer wheel', () => {
  it('releases an item once its time has come, never before', () => {
    const wheel = new TimerWheel<string>(100);
    wheel.schedule(1050, 'a');
    wheel.schedule(1250, 'b');
    const out: string[] = [];
    wheel.due(1049, (x) => out.push(x));
    expect(out).toEqual([]);
    wheel.due(1100, (x) => out.push(x));
    expect(out).toEqual(['a']);
    wheel.due(5000, (x) => out.push(x));
    expect(out).toEqual(['a', 'b']);
  });

  it('an item scheduled in the past comes out at the next drain', () => {
    const wheel = new TimerWheel<string>(100);
    wheel.due(2000, () => undefined);
    wheel.schedule(1500, 'late');
    const out: string[] = [];
    wheel.due(2001, (x) => out.push(x));
    expect(out).toEqual(['late']);
    expect(wheel.size).toBe(0);
  });
});
