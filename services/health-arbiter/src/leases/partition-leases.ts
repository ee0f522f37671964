import { performance } from 'node:perf_hooks';
import { bucketName } from '@edgeplane/contracts';
import { isApiError, isTransientError, untilReachable, type Bus } from '@edgeplane/messaging';
import { JetStreamApiCodes } from '@nats-io/jetstream';
import type { Logger } from '@edgeplane/observability';
import { Kvm, type KV } from '@nats-io/kv';
import { planPartitions, type LeaseMember } from './lease-plan.js';

/** What the runtime does when it gains or loses a partition. */
export interface LeaseListener {
  /**
   * The lease of `partition` was won with KV revision `epoch` (higher than any earlier holder's):
   * raise the fence, load, replay. A throw gives the lease back.
   */
  acquired(partition: number, epoch: number): Promise<void>;
  /** Stop judging `partition` (given back, or lost); resolves when nothing more is written for it. */
  released(partition: number, why: 'rebalance' | 'lost' | 'shutdown'): Promise<void>;
}

export interface LeaseOptions {
  /** this instance's id in the bucket (unique among live instances) */
  instanceId: string;
  /** the partitions this instance may take (HEALTH_PARTITIONS) */
  allowed: readonly number[];
  /** lease time when this instance creates the bucket; an existing bucket's TTL wins */
  ttlMs: number;
  /** the lease bucket (NATS KV, one per environment): `m.<instance>` members, `p.NN` partition leases */
  bucket: string;
}

interface Held {
  revision: number;
  epoch: number;
  /** performance.now() until which this instance may judge the partition */
  validUntil: number;
  releasing: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Exclusive signal partitions by lease, in a NATS KV bucket with a TTL (the entries of an
 * instance that stops renewing vanish after the TTL). Why NATS KV and not PostgreSQL: the lease
 * must be shared by everything that hears the same signals — the bus — whatever schema or
 * database an instance writes to (a side-by-side benchmark arbiter shares the bus, not the
 * schema). Writes are fenced in PostgreSQL all the same (health_partition_fences, raised with the
 * lease's creation revision, checked in every verdict append's transaction).
 *
 * - Members: every instance puts `m.<id>` (its allowed partitions) each renewal; the live members
 *   are the keys present. Every instance computes the same fair plan from them (lease-plan.ts).
 * - Acquire: `create p.NN` (fails while anyone holds it); the creation revision is the epoch.
 * - Renew: `update p.NN` with the last revision (compare-and-set) every TTL/4; a failed CAS means
 *   the lease was lost. The instance judges only while performance.now() < (time the last
 *   successful renewal was SENT) + TTL − TTL/4: the server counts the TTL from when it stored the
 *   write, which is later, so this instance stops before anyone else can take over.
 * - Release (rebalance, shutdown): stop judging first, then delete with the revision (CAS).
 */
export class PartitionLeases {
  private kv?: KV;
  private ttlMs: number;
  private readonly held = new Map<number, Held>();
  private renewTimer?: NodeJS.Timeout;
  private planTimer?: NodeJS.Timeout;
  private renewing = false;
  private planning?: Promise<void>;
  private stopped = false;
  private readonly memberKey: string;

  constructor(
    private readonly bus: Bus,
    private readonly options: LeaseOptions,
    private readonly listener: LeaseListener,
    private readonly logger?: Logger,
  ) {
    this.ttlMs = options.ttlMs;
    this.memberKey = `m.${options.instanceId}`;
  }

  get instanceId(): string {
    return this.options.instanceId;
  }

  /** The bucket's lease time (the TTL of an existing bucket wins over this instance's setting). */
  get leaseMs(): number {
    return this.ttlMs;
  }

  /** Opens (or creates) the bucket, joins as a member and runs the first plan. */
  async start(): Promise<void> {
    const kvm = new Kvm(this.bus.nc);
    const name = bucketName(this.options.bucket);
    // NATS away at start: wait for it (logged); any other failure ends the start
    const { kv, status } = await untilReachable(this.logger, 'message bus', `KV bucket ${name}`, async () => {
      const opened = await kvm.create(name, { ttl: this.options.ttlMs, history: 1 }).catch((error) => {
        if (isTransientError(error)) throw error;
        // exists with another TTL: use it as it is
        return kvm.open(name);
      });
      return { kv: opened, status: await opened.status() };
    });
    this.kv = kv;
    if (status.ttl > 0) this.ttlMs = status.ttl;
    if (this.ttlMs !== this.options.ttlMs) {
      this.logger?.warn(
        { bucketTtlMs: this.ttlMs, configuredMs: this.options.ttlMs },
        'lease bucket exists with another TTL; using the bucket’s',
      );
    }
    await this.putMember();
    await this.rebalance();
    const every = Math.max(50, Math.floor(this.ttlMs / 4));
    const failed = (what: string) => (error: unknown) =>
      this.logger?.warn({ err: (error as Error).message }, `lease ${what} failed; next round`);
    this.renewTimer = setInterval(() => void this.renew().catch(failed('renewal')), every);
    this.planTimer = setInterval(() => {
      if (!this.planning)
        this.planning = this.rebalance()
          .catch(failed('rebalance'))
          .finally(() => (this.planning = undefined));
    }, every);
  }

  /** May this instance judge (and write verdicts for) `partition` now? */
  holds(partition: number): boolean {
    const h = this.held.get(partition);
    return h !== undefined && !h.releasing && performance.now() < h.validUntil;
  }

  /** The epoch this instance holds `partition` under (undefined if it does not). */
  epoch(partition: number): number | undefined {
    return this.held.get(partition)?.epoch;
  }

  heldPartitions(): number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  /** The fence refused a write for `partition`: someone newer holds it. */
  async lost(partition: number): Promise<void> {
    const h = this.held.get(partition);
    if (!h || h.releasing) return;
    h.releasing = true;
    this.held.delete(partition);
    this.logger?.warn({ partition }, 'partition fenced off: a newer holder took it');
    await this.listener.released(partition, 'lost');
  }

  /** Gives every lease back (others take over at once instead of after the TTL) and leaves. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.renewTimer) clearInterval(this.renewTimer);
    if (this.planTimer) clearInterval(this.planTimer);
    await this.planning?.catch(() => undefined);
    for (const p of this.heldPartitions()) await this.release(p, 'shutdown');
    await this.kv?.delete(this.memberKey).catch(() => undefined);
  }

  // ───────────────────────────── internals ─────────────────────────────

  private async putMember(): Promise<void> {
    await this.kv!.put(this.memberKey, encoder.encode(JSON.stringify({ allowed: this.options.allowed })));
  }

  private leaseValue(): Uint8Array {
    return encoder.encode(JSON.stringify({ holder: this.options.instanceId }));
  }

  /** Renews the member key and every held lease (CAS on the revision). */
  private async renew(): Promise<void> {
    if (this.renewing || this.stopped) return;
    this.renewing = true;
    try {
      await withTimeout(this.putMember(), this.ttlMs / 2, 'member renewal').catch(() => undefined);
      await Promise.all(
        [...this.held.entries()].map(async ([p, h]) => {
          if (h.releasing) return;
          const sent = performance.now();
          try {
            const revision = await withTimeout(
              this.kv!.update(keyOf(p), this.leaseValue(), h.revision),
              this.ttlMs / 2,
              'lease renewal',
            );
            if (this.held.get(p) !== h || h.releasing) return;
            h.revision = revision;
            h.validUntil = sent + this.ttlMs - this.ttlMs / 4;
          } catch (error) {
            if (this.held.get(p) !== h || h.releasing) return;
            if (isWrongRevision(error)) {
              await this.lostLease(p, 'the lease moved on (expired and taken, or deleted)');
            } else if (performance.now() >= h.validUntil) {
              await this.lostLease(p, `could not renew in time: ${(error as Error).message}`);
            }
          }
        }),
      );
    } finally {
      this.renewing = false;
    }
  }

  private async lostLease(p: number, reason: string): Promise<void> {
    const h = this.held.get(p);
    if (!h) return;
    h.releasing = true;
    this.held.delete(p);
    this.logger?.warn({ partition: p, reason }, 'partition lease lost');
    await this.listener.released(p, 'lost');
  }

  /** Lists the members, gives back what the plan gives others, takes what it gives this one. */
  private async rebalance(): Promise<void> {
    if (this.stopped) return;
    let members: LeaseMember[];
    try {
      // bounded: a listing stalled on an overloaded server must not stop every later round
      members = await withTimeout(this.members(), this.ttlMs, 'listing the lease members');
    } catch (error) {
      this.logger?.warn({ err: (error as Error).message }, 'lease members not listed');
      return;
    }
    if (!members.some((m) => m.id === this.options.instanceId)) {
      members.push({ id: this.options.instanceId, allowed: this.options.allowed });
    }
    const plan = planPartitions(members);
    for (const p of this.heldPartitions()) {
      if (plan.get(p) !== this.options.instanceId) await this.release(p, 'rebalance');
    }
    for (const [p, owner] of [...plan.entries()].sort((a, b) => a[0] - b[0])) {
      if (this.stopped) return;
      if (owner !== this.options.instanceId || this.held.has(p)) continue;
      await this.acquire(p);
    }
  }

  private async members(): Promise<LeaseMember[]> {
    const keys: string[] = [];
    for await (const k of await this.kv!.keys('m.>')) keys.push(k);
    const out: LeaseMember[] = [];
    for (const key of keys) {
      const entry = await this.kv!.get(key);
      if (!entry || entry.operation !== 'PUT') continue;
      try {
        const value = JSON.parse(decoder.decode(entry.value)) as { allowed?: unknown };
        const allowed = Array.isArray(value.allowed)
          ? value.allowed.filter((p): p is number => Number.isInteger(p))
          : [];
        out.push({ id: key.slice(2), allowed });
      } catch {
        /* not a member record */
      }
    }
    return out;
  }

  private async acquire(p: number): Promise<void> {
    const sent = performance.now();
    let revision: number;
    try {
      revision = await withTimeout(this.kv!.create(keyOf(p), this.leaseValue()), this.ttlMs, 'create');
    } catch {
      return; // someone holds it (its TTL has not run out yet): next round
    }
    const h: Held = {
      revision,
      epoch: revision,
      validUntil: sent + this.ttlMs - this.ttlMs / 4,
      releasing: false,
    };
    this.held.set(p, h);
    this.logger?.info({ partition: p, epoch: revision }, 'partition lease won');
    try {
      await this.listener.acquired(p, revision);
      this.logger?.info({ partition: p, epoch: revision }, 'partition taken');
    } catch (error) {
      this.logger?.warn(
        { partition: p, err: (error as Error).message },
        'partition not taken up; given back',
      );
      await this.release(p, 'rebalance');
    }
  }

  private async release(p: number, why: 'rebalance' | 'shutdown'): Promise<void> {
    const h = this.held.get(p);
    if (!h) return;
    h.releasing = true;
    await this.listener.released(p, why);
    this.held.delete(p);
    await withTimeout(this.kv!.delete(keyOf(p), { previousSeq: h.revision }), this.ttlMs, 'delete').catch(
      () => undefined,
    );
    this.logger?.info({ partition: p, why }, 'partition given back');
  }

  /** Is the lease of `partition` still at this revision in the bucket? (fence repair) */
  async confirms(partition: number, revision: number): Promise<boolean> {
    const entry = await this.kv!.get(keyOf(partition));
    return entry !== null && entry.operation === 'PUT' && entry.revision === revision;
  }
}

/** `promise`, or a rejection naming `what` after `ms` (the work itself is not cancelled). */
function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function keyOf(partition: number): string {
  return `p.${String(partition).padStart(2, '0')}`;
}

/** The compare-and-set of update/delete failed: the key is at another revision (or gone). */
function isWrongRevision(error: unknown): boolean {
  return isApiError(error, JetStreamApiCodes.StreamWrongLastSequence);
}
