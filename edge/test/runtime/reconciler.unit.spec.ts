import { afterEach, describe, expect, it } from 'vitest';
import { PodReconciler } from '../../src/runtime/reconciler.js';
import type { PodRef, PodSpec, PodStatus, RuntimeDriver } from '../../src/runtime/types.js';

const spec = (name: string): PodSpec => ({
  name,
  namespace: 'default',
  uid: `uid-${name}`,
  containers: [{ name: 'web', image: `localhost/edgeplane/${name}:1` }],
});

const running = (p: PodSpec): PodStatus => ({
  uid: p.uid,
  name: p.name,
  namespace: p.namespace,
  phase: 'Running',
  ready: true,
  containers: [
    { name: 'web', image: p.containers[0]!.image, state: 'running', restartCount: 0, ready: true },
  ],
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A driver whose first ensure of a pod takes `startMs(pod)` (an image pull, a sandbox), later ones
 * return at once; it records how many ensures run at once, overall and per pod.
 */
class FakeDriver implements RuntimeDriver {
  readonly kind = 'process' as const;
  readonly started = new Set<string>();
  readonly doneAt = new Map<string, number>();
  readonly removed: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  readonly perPod = new Map<string, number>();
  maxPerPod = 0;
  constructor(private readonly startMs: (p: PodSpec) => number) {}

  async ensurePod(pod: PodSpec): Promise<PodStatus> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const mine = (this.perPod.get(pod.uid) ?? 0) + 1;
    this.perPod.set(pod.uid, mine);
    this.maxPerPod = Math.max(this.maxPerPod, mine);
    try {
      if (!this.started.has(pod.uid)) {
        await sleep(this.startMs(pod));
        this.started.add(pod.uid);
        this.doneAt.set(pod.uid, Date.now());
      }
      return running(pod);
    } finally {
      this.inFlight--;
      this.perPod.set(pod.uid, this.perPod.get(pod.uid)! - 1);
    }
  }
  listPods(): Promise<PodRef[]> {
    return Promise.resolve(
      [...this.started].map((uid) => ({ uid, name: uid.slice(4), namespace: 'default' })),
    );
  }
  status(): Promise<PodStatus | undefined> {
    return Promise.resolve(undefined);
  }
  // eslint-disable-next-line require-yield
  async *logs(): AsyncGenerator<never> {
    return;
  }
  exec(): never {
    throw new Error('not used');
  }
  execStream(): never {
    throw new Error('not used');
  }
  async removePod(uid: string): Promise<void> {
    await sleep(1);
    this.started.delete(uid);
    this.removed.push(uid);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

interface Report {
  at: number;
  running: string[];
}

function recorder() {
  const reports: Report[] = [];
  const onStatus = (statuses: PodStatus[]) =>
    reports.push({
      at: Date.now(),
      running: statuses.filter((s) => s.phase === 'Running').map((s) => s.name),
    });
  return { reports, onStatus };
}

let reconciler: PodReconciler | undefined;
afterEach(async () => {
  await reconciler?.stop();
  reconciler = undefined;
});

describe('PodReconciler', () => {
  it('a pod whose image pull is slow does not hold back the report of one that started', async () => {
    const driver = new FakeDriver((p) => (p.name === 'slow' ? 1500 : 50));
    const { reports, onStatus } = recorder();
    reconciler = new PodReconciler(driver, { onStatus, periodMs: 60_000, reportIntervalMs: 100 });
    const t0 = Date.now();
    reconciler.setDesired([spec('slow'), spec('fast')]);
    reconciler.start();
    await reconciler.reconcile();

    const fastDone = driver.doneAt.get('uid-fast')!;
    const slowDone = driver.doneAt.get('uid-slow')!;
    // both were started at once: the fast one did not queue behind the slow one
    expect(fastDone - t0).toBeLessThan(800);
    expect(slowDone - t0).toBeGreaterThanOrEqual(1400);
    // a report said fast is Running (and slow not yet) well before slow finished
    const early = reports.find((r) => r.running.includes('fast'));
    expect(early).toBeDefined();
    expect(early!.running).not.toContain('slow');
    expect(early!.at).toBeLessThan(slowDone - 1000);
    expect(early!.at - fastDone).toBeLessThan(250);
    // and the slow one is reported once it runs
    await sleep(200);
    expect(reports.at(-1)!.running.sort()).toEqual(['fast', 'slow']);
  });

  it('ensures at most `concurrency` pods at once, and never one pod twice at once', async () => {
    const driver = new FakeDriver(() => 100);
    reconciler = new PodReconciler(driver, { concurrency: 4, periodMs: 60_000 });
    reconciler.setDesired(Array.from({ length: 10 }, (_, i) => spec(`p${i}`)));
    const t0 = Date.now();
    // a second and a third request while the first round runs: one more round after it, not overlapping
    const rounds = [reconciler.reconcile(), reconciler.reconcile(), reconciler.reconcile()];
    await Promise.all(rounds);
    const took = Date.now() - t0;
    expect(driver.started.size).toBe(10);
    expect(driver.maxInFlight).toBe(4);
    expect(driver.maxPerPod).toBe(1);
    // 10 pods of 100 ms by 4 at once: 3 waves (not 10 one after another, not all 10 at once)
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(900);
    await sleep(50);
    expect(reconciler.status()).toHaveLength(10);
  });

  it('coalesces reports: pods starting one by one give at most one report per interval, the last state included', async () => {
    // 12 pods finishing ~20 ms apart, 4 at once
    let n = 0;
    const driver = new FakeDriver(() => 20 * ++n);
    const { reports, onStatus } = recorder();
    reconciler = new PodReconciler(driver, {
      onStatus,
      concurrency: 4,
      periodMs: 60_000,
      reportIntervalMs: 150,
    });
    reconciler.setDesired(Array.from({ length: 12 }, (_, i) => spec(`p${i}`)));
    reconciler.start();
    await reconciler.reconcile();
    await sleep(300);
    expect(reports.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < reports.length; i++)
      expect(reports[i]!.at - reports[i - 1]!.at).toBeGreaterThanOrEqual(145);
    // reports were sent while pods were still starting (not only at the end of the round)
    expect(reports[0]!.running.length).toBeLessThan(12);
    expect(reports.at(-1)!.running).toHaveLength(12);
  });

  it('removes pods no longer desired (in parallel with the bound) and forgets their status', async () => {
    const driver = new FakeDriver(() => 5);
    const { reports, onStatus } = recorder();
    reconciler = new PodReconciler(driver, { onStatus, periodMs: 60_000, reportIntervalMs: 0 });
    reconciler.setDesired([spec('a'), spec('b'), spec('c')]);
    await reconciler.reconcile();
    expect(reconciler.status().map((s) => s.name)).toEqual(['a', 'b', 'c']);
    reconciler.setDesired([spec('b')]);
    await reconciler.reconcile();
    expect(driver.removed.sort()).toEqual(['uid-a', 'uid-c']);
    expect(reconciler.status().map((s) => s.name)).toEqual(['b']);
    expect(reports.at(-1)!.running).toEqual(['b']);
  });
});

describe('PodReconciler under repeated desired lists', () => {
  it('a new list with the same pods (a push) during a round neither skips nor discards them', async () => {
    const driver = new FakeDriver(() => 200);
    const { reports, onStatus } = recorder();
    reconciler = new PodReconciler(driver, {
      onStatus,
      concurrency: 2,
      periodMs: 60_000,
      reportIntervalMs: 0,
    });
    const pods = () => ['a', 'b', 'c', 'd'].map(spec);
    reconciler.setDesired(pods());
    reconciler.start();
    const first = reconciler.reconcile();
    await sleep(50);
    reconciler.setDesired(pods()); // same pods, new objects, while a and b are being started
    await first;
    // the first round started all four and reported them, without waiting for another round
    expect(driver.started.size).toBe(4);
    expect(reports.at(-1)!.running.sort()).toEqual(['a', 'b', 'c', 'd']);
  });
});
