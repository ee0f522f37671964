import { sql } from 'kysely';
import client from 'prom-client';
import type { Db } from '@edgeplane/eventstore';
import type { Bus } from '@edgeplane/messaging';
import { registry, type Logger } from '@edgeplane/observability';
import type { HealthImplementation } from '@edgeplane/proto';

/** Something the service cannot serve without, probed every few seconds. */
export interface Dependency {
  /** 'database', 'bus' (logs, the metric's label) */
  name: string;
  /** Resolves when the dependency answers; rejects (or never settles) when it does not. */
  probe(): Promise<unknown>;
}

export interface ReadinessOptions {
  health: HealthImplementation;
  /** services whose status follows readiness, besides '' (the server as a whole) */
  services: string[];
  dependencies: Dependency[];
  logger: Logger;
  /** pause between probes, default 1000 ms */
  intervalMs?: number;
  /**
   * a probe slower than this fails, default 2000 ms; a slow answer trips NOT_SERVING only the
   * second time in a row (a loaded machine), a refused or lost connection at once
   */
  timeoutMs?: number;
}

const dependencyUp = (() => {
  const name = 'edgeplane_dependency_up';
  return (
    (registry.getSingleMetric(name) as client.Gauge<string> | undefined) ??
    new client.Gauge({
      name,
      help: '1 while the dependency answers its probe, 0 while it does not',
      labelNames: ['dependency'],
      registers: [registry],
    })
  );
})();

/** SELECT 1 through the service's pool (a connection is made when none is open). */
export function databaseDependency(db: Db): Dependency {
  return { name: 'database', probe: () => sql`SELECT 1`.execute(db) };
}

/** A JetStream API round trip: the connection is up and JetStream answers on it. */
export function busDependency(bus: Bus): Dependency {
  return { name: 'bus', probe: () => bus.jsm.getAccountInfo() };
}

class ProbeTimeout extends Error {}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeout(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/**
 * Keeps the gRPC health status true to the service's dependencies while it runs: a lost database
 * or bus turns it NOT_SERVING (the process stays up; pg and NATS reconnect by themselves), and the
 * first good probe after they return turns it SERVING again. Transitions are logged with the
 * reason. `poke()` probes at once (a pool error, a bus disconnect) instead of at the next tick.
 */
export class Readiness {
  private readonly failing = new Map<string, string>();
  /** slow answers in a row, per dependency */
  private readonly slow = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private running = false;
  private probing?: Promise<void>;
  private again = false;
  private started = false;

  constructor(private readonly options: ReadinessOptions) {}

  /** True while every dependency answered its last probe. */
  get ready(): boolean {
    return this.failing.size === 0;
  }

  /** Dependencies that failed their last probe, with why. */
  get problems(): Record<string, string> {
    return Object.fromEntries(this.failing);
  }

  /** Probes once, publishes the status, then keeps probing every `intervalMs`. */
  async start(): Promise<void> {
    this.running = true;
    this.started = true;
    await this.poke();
    this.schedule();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Probe now (coalesced with a probe already under way). */
  poke(): Promise<void> {
    if (this.probing) {
      this.again = true;
      return this.probing;
    }
    this.probing = (async () => {
      do {
        this.again = false;
        await this.probeAll();
      } while (this.again && this.running);
    })().finally(() => (this.probing = undefined));
    return this.probing;
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      void this.poke().finally(() => this.schedule());
    }, this.options.intervalMs ?? 1000);
    this.timer.unref();
  }

  private async probeAll(): Promise<void> {
    const wasReady = this.ready && this.started;
    const timeoutMs = this.options.timeoutMs ?? 2000;
    const results = await Promise.all(
      this.options.dependencies.map(async (dep) => {
        try {
          await withTimeout(dep.probe(), timeoutMs);
          this.slow.delete(dep.name);
          return [dep.name, undefined] as const;
        } catch (error) {
          const slowInARow = error instanceof ProbeTimeout ? (this.slow.get(dep.name) ?? 0) + 1 : 0;
          this.slow.set(dep.name, slowInARow);
          // one slow answer is not an outage; keep the status it had
          if (slowInARow === 1) return [dep.name, this.failing.get(dep.name)] as const;
          return [dep.name, (error as Error).message || String(error)] as const;
        }
      }),
    );
    if (!this.running) return;
    for (const [name, problem] of results) {
      const before = this.failing.get(name);
      dependencyUp.set({ dependency: name }, problem ? 0 : 1);
      if (problem && before === undefined) {
        this.failing.set(name, problem);
        this.options.logger.warn({ dependency: name, err: problem }, `${name} unreachable; NOT_SERVING`);
      } else if (problem) {
        this.failing.set(name, problem);
      } else if (before !== undefined) {
        this.failing.delete(name);
        this.options.logger.info({ dependency: name }, `${name} back`);
      }
    }
    const status = this.ready ? 'SERVING' : 'NOT_SERVING';
    for (const service of ['', ...this.options.services]) this.options.health.setStatus(service, status);
    if (this.ready && !wasReady) this.options.logger.info('dependencies answer; SERVING');
  }
}
