import { errorText, validatePodSpec } from './pod.js';
import { quietLogger, type DriverLogger, type PodSpec, type PodStatus, type RuntimeDriver } from './types.js';

export interface ReconcilerOptions {
  /** how often every pod is ensured (probes, restarts) — default 1 s */
  periodMs?: number;
  logger?: DriverLogger;
  /** called after each round with every desired pod's status */
  onStatus?: (statuses: PodStatus[]) => void;
}

/**
 * Desired pods → the driver, round after round: every desired pod is ensured (idempotent: a
 * round with nothing to do changes nothing), every pod the driver runs that is no longer desired
 * is removed. `setDesired` replaces the whole list (what the agent gets from the cloud or its
 * cache) and starts a round at once; rounds never overlap.
 */
export class PodReconciler {
  private desired = new Map<string, PodSpec>();
  private readonly statuses = new Map<string, PodStatus>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = true;
  private readonly logger: DriverLogger;

  constructor(
    readonly driver: RuntimeDriver,
    private readonly options: ReconcilerOptions = {},
  ) {
    this.logger = options.logger ?? quietLogger;
  }

  /** Replaces the desired pods; throws a PodSpecError (naming the field) and keeps the old list when one is invalid. */
  setDesired(pods: PodSpec[]): void {
    const next = new Map<string, PodSpec>();
    pods.forEach((p, i) => {
      validatePodSpec(p, `pods[${i}]`);
      next.set(p.uid, p);
    });
    this.desired = next;
    for (const uid of this.statuses.keys()) if (!next.has(uid)) this.statuses.delete(uid);
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
    for (const uid of actual) {
      if (this.desired.has(uid)) continue;
      try {
        await this.driver.removePod(uid);
      } catch (e) {
        this.logger.warn({ uid, error: errorText(e) }, 'pod not removed (next round tries again)');
      }
    }
    for (const pod of desired) {
      try {
        const status = await this.driver.ensurePod(pod);
        if (this.desired.get(pod.uid) === pod) this.statuses.set(pod.uid, status);
      } catch (e) {
        this.logger.warn({ pod: pod.name, error: errorText(e) }, 'pod not ensured (next round tries again)');
      }
    }
    this.options.onStatus?.(this.status());
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
  }
}
