import { describe, expect, it } from 'vitest';
import { parseCriLog } from '../../src/runtime/logs.js';
import {
  containerSpecHash,
  podPhase,
  restartDelayMs,
  shouldRestart,
  validatePodSpec,
} from '../../src/runtime/pod.js';
import { ProbeTracker } from '../../src/runtime/probes.js';
import type { ContainerStatus, PodSpec } from '../../src/runtime/types.js';

const pod = (over: Partial<PodSpec> = {}): PodSpec => ({
  name: 'web-1',
  namespace: 'default',
  uid: 'u-1',
  containers: [{ name: 'web', image: 'localhost/edgeplane/busybox-httpd:1' }],
  ...over,
});
const c = (over: Partial<ContainerStatus>): ContainerStatus => ({
  name: 'c',
  image: 'i',
  state: 'running',
  restartCount: 0,
  ready: true,
  ...over,
});

describe('pod rules', () => {
  it('restart policy: Always restarts everything, OnFailure only failures, Never nothing', () => {
    expect([0, 1].map((code) => shouldRestart('Always', code))).toEqual([true, true]);
    expect([0, 1].map((code) => shouldRestart('OnFailure', code))).toEqual([false, true]);
    expect([0, 1].map((code) => shouldRestart('Never', code))).toEqual([false, false]);
    expect(shouldRestart(undefined, 0)).toBe(true);
  });

  it('backoff doubles per restart up to the cap, and starts over after a long run', () => {
    const b = { initialMs: 1000, maxMs: 8000 };
    expect([0, 1, 2, 3, 4, 30].map((n) => restartDelayMs(n, 5000, b))).toEqual([
      1000, 2000, 4000, 8000, 8000, 8000,
    ]);
    expect(restartDelayMs(5, 11 * 60_000, b)).toBe(0);
  });

  it('phase: Running while one runs or restarts, Succeeded/Failed when all ended for good, Pending before', () => {
    expect(podPhase('Always', [c({ state: 'running' })])).toBe('Running');
    expect(podPhase('Always', [c({ state: 'waiting', reason: 'ErrImagePull' })])).toBe('Pending');
    expect(podPhase('Always', [c({ state: 'waiting', reason: 'CrashLoopBackOff', restartCount: 2 })])).toBe(
      'Running',
    );
    expect(podPhase('Never', [c({ state: 'terminated', exitCode: 0 })])).toBe('Succeeded');
    expect(
      podPhase('Never', [c({ state: 'terminated', exitCode: 0 }), c({ state: 'terminated', exitCode: 2 })]),
    ).toBe('Failed');
    expect(podPhase('OnFailure', [c({ state: 'terminated', exitCode: 0 })])).toBe('Succeeded');
    expect(podPhase('OnFailure', [c({ state: 'terminated', exitCode: 1 })])).toBe('Running');
  });

  it('a spec change changes the container hash; the same spec keeps it', () => {
    const p = pod();
    const h = containerSpecHash(p, p.containers[0]!);
    expect(containerSpecHash(pod(), pod().containers[0]!)).toBe(h);
    expect(containerSpecHash(p, { ...p.containers[0]!, image: 'localhost/other:2' })).not.toBe(h);
    expect(containerSpecHash(pod({ restartPolicy: 'Never' }), p.containers[0]!)).not.toBe(h);
  });

  it('validation names the field and bounds every input', () => {
    expect(validatePodSpec(pod())).toBeTruthy();
    const bad: [Partial<PodSpec>, RegExp][] = [
      [{ name: 'Web_1' }, /pod\.name/],
      [{ uid: 'x'.repeat(65) }, /pod\.uid/],
      [{ containers: [] }, /pod\.containers/],
      [{ restartPolicy: 'Sometimes' as never }, /pod\.restartPolicy/],
      [
        {
          containers: [
            { name: 'a', image: 'i' },
            { name: 'a', image: 'i' },
          ],
        },
        /containers\[1\]\.name.*twice/,
      ],
      [{ containers: [{ name: 'a', image: 'x'.repeat(600) }] }, /containers\[0\]\.image/],
      [{ containers: [{ name: 'a', image: 'i', env: [{ name: '1X', value: '' }] }] }, /env\[0\]\.name/],
      [{ containers: [{ name: 'a', image: 'i', command: ['a\0b'] }] }, /command\[0\]/],
      [
        { containers: [{ name: 'a', image: 'i', ports: [{ containerPort: 70000 }] }] },
        /ports\[0\]\.containerPort/,
      ],
      [{ containers: [{ name: 'a', image: 'i', readinessProbe: {} }] }, /readinessProbe.*exactly one/],
      [
        { containers: [{ name: 'a', image: 'i', livenessProbe: { httpGet: { port: 80, path: 'x' } } }] },
        /livenessProbe\.httpGet\.path/,
      ],
      [
        {
          containers: [
            { name: 'a', image: 'i', livenessProbe: { tcpSocket: { port: 80 }, periodSeconds: 0 } },
          ],
        },
        /livenessProbe\.periodSeconds/,
      ],
    ];
    for (const [over, field] of bad) expect(() => validatePodSpec(pod(over))).toThrow(field);
    // a long value is quoted cut short in the message
    try {
      validatePodSpec(pod({ name: 'A'.repeat(10_000) }));
    } catch (e) {
      expect((e as Error).message.length).toBeLessThan(200);
    }
  });
});

describe('probe tracker', () => {
  const target = (results: boolean[]) => ({ host: '127.0.0.1', exec: async () => results.shift() ?? false });
  const settle = () => new Promise((r) => setTimeout(r, 5));

  it('readiness starts false, turns true after successThreshold, false after failureThreshold; nothing before the initial delay', async () => {
    const t = new ProbeTracker();
    const probe = { exec: { command: ['x'] }, periodSeconds: 1, initialDelaySeconds: 5, failureThreshold: 2 };
    const tg = target([true, false, false]);
    expect(t.check('a/r', 'readiness', probe, 0, tg, 1000)).toBe(false); // in the initial delay: nothing ran
    expect(t.check('a/r', 'readiness', probe, 0, tg, 5000)).toBe(false);
    await settle();
    expect(t.check('a/r', 'readiness', probe, 0, tg, 5500)).toBe(true); // not due yet; the success counted
    expect(t.check('a/r', 'readiness', probe, 0, tg, 6000)).toBe(true); // runs: fails once
    await settle();
    expect(t.check('a/r', 'readiness', probe, 0, tg, 7000)).toBe(true); // runs: fails twice
    await settle();
    expect(t.check('a/r', 'readiness', probe, 0, tg, 7100)).toBe(false);
  });

  it('liveness starts true; no probe means healthy and ready', () => {
    const t = new ProbeTracker();
    expect(t.check('a/l', 'liveness', { exec: { command: ['x'] } }, 0, target([]), 0)).toBe(true);
    expect(t.check('b/r', 'readiness', undefined, 0, target([]), 0)).toBe(true);
  });
});

describe('CRI log format', () => {
  it('parses full and partial lines of both streams, leaving an unfinished line for later', () => {
    const partial = { stdout: '', stderr: '' };
    const text = [
      '2026-11-28T10:00:00.000000001Z stdout F hello',
      '2026-11-28T10:00:00.1Z stderr P part one ',
      '2026-11-28T10:00:00.2Z stdout F',
      '2026-11-28T10:00:00.3Z stderr F and two',
      'garbage',
      '2026-11-28T10:00:00.4Z stdout F unfin',
    ].join('\n');
    const { lines, rest } = parseCriLog(text, partial);
    expect(lines.map((l) => `${l.stream}:${l.line}`)).toEqual([
      'stdout:hello',
      'stdout:',
      'stderr:part one and two',
    ]);
    expect(rest).toBe('2026-11-28T10:00:00.4Z stdout F unfin');
  });
});
