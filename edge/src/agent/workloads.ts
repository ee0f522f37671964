import type { PodReconciler } from '../runtime/reconciler.js';
import type { PodSpec, PodStatus, RuntimeDriver } from '../runtime/types.js';
import type { Tunnel } from '../tunnel/protocol.js';
import type { AgentConfig } from './config.js';
import type { AgentLogger } from './logger.js';
import { nodeAllocatable, type Allocatable } from './allocatable.js';
import { podStateOf, reportKey } from './pods.js';

type Runtime = typeof import('../runtime/index.js');

/**
 * The node's pods: the desired ones (from the cloud or the on-disk cache) go to a PodReconciler
 * over the driver agent.json names (`runtime.driver`: cri | process); every status change goes up
 * as one PodStatusReport (all pods, not every round). The runtime's code is imported only here,
 * on first use, so an agent with `driver: none` (the default) never loads it.
 *
 * A pod the runtime refuses (PodSpecError naming the field) is not run and is reported Failed with
 * reason InvalidPodSpec, instead of the whole list being refused.
 */
export class Workloads {
  private runtime?: Promise<{ reconciler: PodReconciler; validate: Runtime['validatePodSpec'] }>;
  private desired: PodSpec[] = [];
  private invalid: PodStatus[] = [];
  private statuses: PodStatus[] = [];
  private lastSent = '';
  private stopped = false;
  /** the node's size, read once: sent in every report (the cloud places pods against it) */
  readonly allocatable: Allocatable;

  constructor(
    private readonly config: AgentConfig,
    private readonly logger: AgentLogger,
    /** sends one report; false when the tunnel is down (then it is sent after the next Welcome) */
    private readonly send: (report: Tunnel.PodStatusReport) => boolean,
    private readonly desiredVersion: () => string,
  ) {
    this.allocatable = nodeAllocatable(config.allocatable);
  }

  get driver(): 'cri' | 'process' | 'none' {
    return this.config.runtime.driver;
  }

  /** Replaces the desired pods (the whole list). */
  setDesired(pods: PodSpec[]): void {
    this.desired = pods;
    if (this.driver === 'none') {
      if (pods.length > 0)
        this.logger.warn(
          { pods: pods.length },
          'pods assigned but no runtime driver is configured (runtime.driver)',
        );
      return;
    }
    void this.load().then(
      ({ reconciler, validate }) => {
        if (this.stopped) return;
        const valid: PodSpec[] = [];
        const invalid: PodStatus[] = [];
        for (const pod of this.desired) {
          try {
            valid.push(validate(pod, `pod ${pod.name}`));
          } catch (error) {
            const message = (error as Error).message;
            this.logger.warn({ pod: pod.name, uid: pod.uid, err: message }, 'pod refused');
            invalid.push({
              uid: pod.uid,
              name: pod.name,
              namespace: pod.namespace,
              phase: 'Failed',
              ready: false,
              reason: 'InvalidPodSpec',
              message,
              containers: [],
            });
          }
        }
        this.invalid = invalid;
        reconciler.setDesired(valid);
        if (valid.length === 0) this.onStatus([]);
      },
      (error: unknown) =>
        this.logger.error(
          { err: (error as Error).message, driver: this.driver },
          'the runtime did not start',
        ),
    );
  }

  /**
   * After each Welcome: the cloud hears the pods' status at once, changed or not — and a node
   * with a runtime and no pods yet its allocatable, so the first pods are placed against it.
   */
  resend(): void {
    this.lastSent = '';
    if (this.runtime || this.driver !== 'none') this.report();
  }

  /** A desired pod of this node (what pod-logs / pod-exec may serve). */
  find(namespace: string, name: string): PodSpec | undefined {
    return this.desired.find((p) => p.namespace === namespace && p.name === name);
  }

  /** The driver running the pods (started on first use); undefined with `driver: none`. */
  async runtimeDriver(): Promise<RuntimeDriver | undefined> {
    if (this.driver === 'none') return undefined;
    return (await this.load()).reconciler.driver;
  }

  status(): PodStatus[] {
    return [...this.statuses, ...this.invalid];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (!this.runtime) return;
    const { reconciler } = await this.runtime;
    await reconciler.stop();
    await reconciler.driver.close();
  }

  private load(): Promise<{ reconciler: PodReconciler; validate: Runtime['validatePodSpec'] }> {
    this.runtime ??= import('../runtime/index.js').then((rt) => {
      const driver: RuntimeDriver = rt.createRuntime({
        kind: this.driver as 'cri' | 'process',
        nodeName: this.config.nodeName,
        stateDir: this.config.paths.stateDir,
        socket: this.config.runtime.criSocket,
        logger: this.logger,
      });
      const reconciler = new rt.PodReconciler(driver, {
        periodMs: this.config.runtime.periodMs,
        logger: this.logger,
        onStatus: (statuses) => this.onStatus(statuses),
      });
      reconciler.start();
      this.logger.info({ driver: this.driver }, 'runtime started');
      return { reconciler, validate: rt.validatePodSpec };
    });
    return this.runtime;
  }

  private onStatus(statuses: PodStatus[]): void {
    this.statuses = statuses;
    this.report();
  }

  private report(): void {
    const pods = this.status().map(podStateOf);
    const key = reportKey(pods);
    if (key === this.lastSent) return;
    const sent = this.send({
      nodeName: this.config.nodeName,
      sentAt: new Date().toISOString(),
      pods,
      desiredVersion: this.desiredVersion(),
      runtime: this.driver === 'none' ? '' : this.driver,
      allocatable: this.allocatable,
    });
    if (sent) this.lastSent = key;
  }
}
