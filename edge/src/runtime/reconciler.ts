import { errorText, validatePodSpec } from './pod.js';
import { quietLogger, type DriverLogger, type PodSpec, type PodStatus, type RuntimeDriver } from './types.js';

export interface ReconcilerOptions {
  /** how often every pod is ensured (probes, restarts) — default 1 s */
  periodMs?: number;
  /**
   * how many pods are ensured (sandbox, image, containers) or removed at once — default 4, at most
   * 32; one pod's own steps stay in order (the driver ensures it in one call)
   */
  concurrency?: number;
  /** at most one `onStatus` call per this many ms — default 150 */
  reportIntervalMs?: number;
  logger?: DriverLogger;
  /**
   * called with every desired pod's status soon after one of them changed (coalesced: at most one
   * call per `reportIntervalMs`) and after each round
   */
  onStatus?: (statuses: PodStatus[]) => void;
}

/** Runs at most `limit` tasks at once, the others in the order they came. */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Desired pods → the driver, round after round: every desired pod is ensured (idempotent: a
 * round with nothing to do changes nothing), every pod the driver runs that is no longer desired
 * is removed. Up to `concurrency` pods are ensured/removed at once (a slow image pull or sandbox of
 * one pod does not hold the others back); a pod is never ensured twice at once. A pod's new status
 * goes to `onStatus` as soon as it changes (coalesced), not when the whole round is done.
 * `setDesired` replaces the whole list (what the agent gets from the cloud or its cache) and starts
 * a round at once; rounds never overlap.
 */
export class PodReconciler {
  private desired = new Map<string, PodSpec>();
  private readonly statuses = new Map<string, PodStatus>();
  /** uid → its status as last seen (JSON), to tell a change */
  private readonly seen = new Map<string, string>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = true;
  private readonly logger: DriverLogger;
  private readonly concurrency: number;
  private readonly reportIntervalMs: number;
  private reportTimer?: NodeJS.Timeout;
  private lastReport = 0;

  constructor(
    readonly driver: RuntimeDriver,
    private readonly options: ReconcilerOptions = {},
  ) {
    this.logger = options.logger ?? quietLogger;
    this.concurrency = Math.min(32, Math.max(1, Math.floor(options.concurrency ?? 4)));
    this.reportIntervalMs = Math.min(10_000, Math.max(0, options.reportIntervalMs ?? 150));
  }

  /** Replaces the desired pods; throws a PodSpecError (naming the field) and keeps the old list when one is invalid. */
  setDesired(pods: PodSpec[]): void {
    const next = new Map<string, PodSpec>();
    pods.forEach((p, i) => {
      validatePodSpec(p, `pods[${i}]`);
      next.set(p.uid, p);
    });
    this.desired = next;
    for (const uid of this.statuses.keys())
      if (!next.has(uid)) {
        this.statuses.delete(uid);
        this.seen.delete(uid);
      }
    if (!this.stopped) void this.reconcile();
  }

  /** One round (or, when one is running, one more right after it). */
  reconcile(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.round().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.reconcile();
      }
    });
    return this.running;
  }

  private async round(): Promise<void> {
    const desired = [...this.desired.values()];
    let actual: string[] = [];
    try {
      actual = (await this.driver.listPods()).map((p) => p.uid);
    } catch (e) {
      this.logger.warn({ error: errorText(e) }, 'the runtime did not list its pods');
      return;
    }
    const gone = actual.filter((uid) => !this.desired.has(uid));
    await eachLimited(gone, this.concurrency, async (uid) => {
      try {
        await this.driver.removePod(uid);
      } catch (e) {
        this.logger.warn({ uid, error: errorText(e) }, 'pod not removed (next round tries again)');
      }
    });
    await eachLimited(desired, this.concurrency, async (queued) => {
      // the latest spec of the pod: a new desired list (the agent gets one on every push, often
      // with the same pods) neither skips nor discards the pods of the round running
      const pod = this.desired.get(queued.uid);
      if (!pod) return; // no longer desired: the next round removes it
      try {
        const status = await this.driver.ensurePod(pod);
        if (!this.desired.has(pod.uid)) return;
        this.statuses.set(pod.uid, status);
        const key = JSON.stringify(status);
        if (this.seen.get(pod.uid) !== key) {
          this.seen.set(pod.uid, key);
          this.report();
        }
      } catch (e) {
        this.logger.warn({ pod: pod.name, error: errorText(e) }, 'pod not ensured (next round tries again)');
      }
    });
    this.report();
  }

  /** `onStatus` now, or when `reportIntervalMs` has passed since the last call (one call for all changes meanwhile). */
  private report(): void {
    if (!this.options.onStatus || this.reportTimer) return;
    const wait = this.lastReport + this.reportIntervalMs - Date.now();
    if (wait <= 0) {
      this.sendReport();
      return;
    }
    this.reportTimer = setTimeout(() => {
      this.reportTimer = undefined;
      this.sendReport();
    }, wait);
  }

  private sendReport(): void {
    this.lastReport = Date.now();
    try {
      this.options.onStatus?.(this.status());
    } catch (e) {
      this.logger.warn({ error: errorText(e) }, 'status report failed');
    }
  }

  status(): PodStatus[] {
    return [...this.desired.keys()].flatMap((uid) => this.statuses.get(uid) ?? []);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      void this.reconcile().finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.options.periodMs ?? 1000);
      });
    };
    tick();
  }

  /** Stops the rounds (the pods keep running: the runtime owns them, a new agent finds them again). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    if (this.reportTimer) clearTimeout(this.reportTimer);
    this.reportTimer = undefined;
  }
}
