import { describe, expect, it } from 'vitest';
import { IllegalStateError } from '@edgeplane/es-kit';
import {
  advanceRollout,
  fanOut,
  pauseRollout,
  planRollout,
  resumeRollout,
  rolloutProgress,
  startRollout,
  undoRollout,
  unitRevision,
  type PodObservation,
  type RolloutState,
  type UnitTarget,
} from '../../src/domain/index.js';
import { DEPLOYMENT_GRID, workload } from './fixtures.js';

const units = ['a', 'b', 'c', 'd', 'e'].map((name) => ({
  name,
  labels: { tier: name === 'a' ? 'canary' : 'prod' },
}));

const withStrategy = (strategy: string) => workload(`${DEPLOYMENT_GRID}  rolloutStrategy:\n${strategy}`);
const t0 = Date.parse('2026-11-28T10:00:00Z');
const at = (seconds: number) => new Date(t0 + seconds * 1000).toISOString();

/** Pods of each unit at the target hash, ready since `since` (or failing / not ready). */
function observe(
  targets: UnitTarget[],
  status: Record<string, { readySince?: number; failed?: string; notReady?: boolean }>,
): PodObservation[] {
  return targets.flatMap((t) => {
    const s = status[t.unit];
    if (!s) return [];
    return Array.from({ length: t.replicas }, (_, i) => ({
      pod: `echo-${t.unit}-${i}`,
      unit: t.unit,
      node: `${t.unit}-node-${i}`,
      templateHash: t.templateHash,
      ready: !s.failed && !s.notReady,
      ...(s.readySince !== undefined && !s.failed && !s.notReady ? { readySince: at(s.readySince) } : {}),
      ...(s.failed && i === 1 ? { failed: true, reason: s.failed } : {}),
    }));
  });
}

describe('staged rollout: plan', () => {
  it('explicit waves by unit selector, unmatched units in a last wave "rest"', () => {
    const g = withStrategy(
      '    waves:\n      - { name: canary, unitSelector: { matchLabels: { tier: canary } } }\n      - { name: pair, units: [b, c] }\n',
    );
    expect(planRollout(g, units)).toEqual([
      { name: 'canary', units: ['a'] },
      { name: 'pair', units: ['b', 'c'] },
      { name: 'rest', units: ['d', 'e'] },
    ]);
  });

  it('automatic waves by size: a count or a percentage', () => {
    expect(planRollout(withStrategy('    waveSize: 2\n'), units).map((w) => w.units)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e'],
    ]);
    // default 25% of 5 → 2 per wave (rounded up)
    expect(planRollout(workload(), units).map((w) => w.units)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(planRollout(withStrategy('    waveSize: "100%"\n'), units)).toHaveLength(1);
  });
});

describe('staged rollout: waves, health gate, pause/resume/undo', () => {
  const g = withStrategy(
    '    waveSize: 2\n    maxUnavailable: 1\n    soakSeconds: 30\n    progressDeadlineSeconds: 300\n',
  );
  const targets: UnitTarget[] = fanOut(g, units).map((c) => ({
    unit: c.unit,
    templateHash: c.templateHash,
    replicas: c.replicas,
  }));

  function started(): RolloutState {
    return startRollout({ grid: g, units, toRevision: 2, fromRevision: 1, now: at(0) });
  }

  it('starts the first wave with at most maxUnavailable units at once', () => {
    const s = started();
    expect(s.phase).toBe('Progressing');
    expect(s.units.a?.state).toBe('Updating');
    expect(s.units.b?.state).toBe('Waiting');
    expect(unitRevision(s, 'a')).toBe(2);
    expect(unitRevision(s, 'b')).toBe(1);
    expect(unitRevision(s, 'e')).toBe(1);
  });

  it('health gate: the next unit/wave only after the pods were ready for the soak time', () => {
    let s = started();
    // a ready at 10 s: soaking, not done
    s = advanceRollout(s, targets, observe(targets, { a: { readySince: 10 } }), at(20));
    expect(s.units.a?.state).toBe('Soaking');
    expect(s.units.b?.state).toBe('Waiting');
    expect(rolloutProgress(s).message).toMatch(/soaking \(a 10s\/30s\)/);
    // 30 s of readiness: done; b starts (maxUnavailable 1), wave 2 not yet
    s = advanceRollout(s, targets, observe(targets, { a: { readySince: 10 } }), at(40));
    expect(s.units.a?.state).toBe('Done');
    expect(s.units.b?.state).toBe('Updating');
    expect(s.units.c?.state).toBe('Waiting');
    // b ready but flaps before its soak ends: the soak starts over
    s = advanceRollout(
      s,
      targets,
      observe(targets, { a: { readySince: 10 }, b: { readySince: 45 } }),
      at(60),
    );
    expect(s.units.b?.state).toBe('Soaking');
    s = advanceRollout(
      s,
      targets,
      observe(targets, { a: { readySince: 10 }, b: { notReady: true } }),
      at(70),
    );
    expect(s.units.b?.state).toBe('Updating');
    s = advanceRollout(
      s,
      targets,
      observe(targets, { a: { readySince: 10 }, b: { readySince: 72 } }),
      at(90),
    );
    expect(s.units.b?.state).toBe('Soaking');
    expect(s.currentWave).toBe(0);
    s = advanceRollout(
      s,
      targets,
      observe(targets, { a: { readySince: 10 }, b: { readySince: 72 } }),
      at(102),
    );
    expect(s.units.b?.state).toBe('Done');
    // wave 1 passed the gate: wave 2 starts
    expect(s.currentWave).toBe(1);
    expect(s.units.c?.state).toBe('Updating');
    const p = rolloutProgress(s);
    expect(p).toMatchObject({ done: 2, total: 5, percent: 40, wave: 'wave-2' });
    expect(p.bar).toBe('[########------------] 2/5 units');
  });

  it('runs to Complete when every wave passes', () => {
    let s = started();
    const all = {
      a: { readySince: 0 },
      b: { readySince: 0 },
      c: { readySince: 0 },
      d: { readySince: 0 },
      e: { readySince: 0 },
    };
    for (let i = 1; i <= 10 && s.phase !== 'Complete'; i++)
      s = advanceRollout(s, targets, observe(targets, all), at(i * 100));
    expect(s.phase).toBe('Complete');
    expect(rolloutProgress(s)).toMatchObject({ done: 5, total: 5, percent: 100 });
    expect(units.every((u) => unitRevision(s, u.name) === 2)).toBe(true);
  });

  it('a wave whose pods fail readiness stops the rollout, naming unit, pod and reason', () => {
    let s = started();
    s = advanceRollout(
      s,
      targets,
      observe(targets, { a: { failed: 'ErrImagePull: edgeplane/echo:9 not found' } }),
      at(20),
    );
    expect(s.phase).toBe('Failed');
    expect(s.failure).toMatchObject({ unit: 'a', pod: 'echo-a-1' });
    expect(s.failure?.reason).toMatch(/ErrImagePull/);
    expect(rolloutProgress(s).message).toMatch(
      /halted at wave 1\/3 "wave-1": unit a: pod echo-a-1 on a-node-1 failed: ErrImagePull/,
    );
    // nothing else starts
    const later = advanceRollout(s, targets, observe(targets, {}), at(500));
    expect(later).toBe(s);
    expect(unitRevision(s, 'b')).toBe(1);
  });

  it('pods not ready within the progress deadline stop the rollout', () => {
    let s = started();
    s = advanceRollout(s, targets, observe(targets, { a: { notReady: true } }), at(299));
    expect(s.phase).toBe('Progressing');
    s = advanceRollout(s, targets, observe(targets, { a: { notReady: true } }), at(301));
    expect(s.phase).toBe('Failed');
    expect(s.failure?.reason).toMatch(/not ready after 300s/);
  });

  it('pause holds every wave; resume continues', () => {
    let s = pauseRollout(started(), at(1));
    expect(s.phase).toBe('Paused');
    expect(pauseRollout(s, at(2))).toBe(s); // idempotent
    s = advanceRollout(s, targets, observe(targets, { a: { readySince: 0 } }), at(100));
    expect(s.units.a?.state).toBe('Updating');
    expect(rolloutProgress(s).message).toMatch(/paused/);
    s = resumeRollout(s, at(100));
    s = advanceRollout(s, targets, observe(targets, { a: { readySince: 0 } }), at(131));
    expect(s.units.a?.state).toBe('Done');
    expect(s.units.b?.state).toBe('Updating');
  });

  it('a paused strategy starts paused', () => {
    const paused = withStrategy('    paused: true\n');
    const s = startRollout({ grid: paused, units, toRevision: 2, fromRevision: 1, now: at(0) });
    expect(s.phase).toBe('Paused');
    expect(Object.values(s.units).every((u) => u.state === 'Waiting')).toBe(true);
  });

  it('undo goes back to the previous revision for the units that had started', () => {
    let s = started();
    s = advanceRollout(s, targets, observe(targets, { a: { failed: 'CrashLoopBackOff' } }), at(20));
    expect(() => resumeRollout(s, at(21))).toThrow(IllegalStateError);
    const u = undoRollout(s, at(30));
    expect(u).toMatchObject({ toRevision: 1, fromRevision: 2, undo: true, phase: 'Progressing' });
    expect(u.failure).toBeUndefined();
    expect(u.waves).toEqual([{ name: 'undo', units: ['a'] }]);
    expect(unitRevision(u, 'a')).toBe(1);
    expect(unitRevision(u, 'b')).toBe(1);
    expect(u.units.b?.state).toBe('Done');
    // a first revision has nothing to go back to
    const first = startRollout({ grid: g, units, toRevision: 1, fromRevision: null, now: at(0) });
    expect(first.phase).toBe('Complete');
    expect(() => undoRollout(first, at(1))).toThrow(IllegalStateError);
  });

  it('units the new revision does not change are done at once', () => {
    const s = startRollout({
      grid: g,
      units,
      toRevision: 2,
      fromRevision: 1,
      unchangedUnits: ['a', 'b', 'c'],
      now: at(0),
    });
    expect(s.currentWave).toBe(1);
    expect(s.units.c?.state).toBe('Done');
    expect(s.units.d?.state).toBe('Updating');
  });

  it('a unit that leaves mid-rollout is done; one that joins gets the target at once', () => {
    let s = started();
    const withoutA = targets.filter((t) => t.unit !== 'a');
    s = advanceRollout(s, withoutA, observe(withoutA, {}), at(10));
    expect(s.units.a?.state).toBe('Done');
    expect(s.units.b?.state).toBe('Updating');
    expect(unitRevision(s, 'newcomer')).toBe(2);
  });
});
