/**
 * A bucketed timer: items scheduled for time `at` come out of `due(now)` once `now ≥ at`, at most
 * `resolutionMs` late. Scheduling and draining are O(1) per item; the engine uses it for grace
 * deadlines and vote expiries so a tick touches only the nodes whose deadline passed, never all.
 * Items may be scheduled several times; the caller re-checks its own condition (stale entries
 * are cheap no-ops).
 */
export class TimerWheel<T> {
  private readonly slots = new Map<number, T[]>();
  private readonly overdue: T[] = [];
  /** Last slot drained; every slot ≤ it is empty. */
  private lastSlot: number | undefined;
  private clock = Number.NEGATIVE_INFINITY;

  constructor(private readonly resolutionMs: number) {
    if (!(resolutionMs > 0)) throw new RangeError(`resolutionMs must be > 0, got ${resolutionMs}`);
  }

  get size(): number {
    let n = this.overdue.length;
    for (const items of this.slots.values()) n += items.length;
    return n;
  }

  schedule(at: number, item: T): void {
    if (at <= this.clock) {
      this.overdue.push(item);
      return;
    }
    const slot = Math.ceil(at / this.resolutionMs);
    const items = this.slots.get(slot);
    if (items) items.push(item);
    else this.slots.set(slot, [item]);
  }

  /** Drains every item whose time has come (`at ≤ now`), in slot order. */
  due(now: number, visit: (item: T) => void): void {
    if (now > this.clock) this.clock = now;
    const nowSlot = Math.floor(this.clock / this.resolutionMs);
    while (this.overdue.length > 0) visit(this.overdue.pop()!);
    if (this.lastSlot !== undefined && nowSlot <= this.lastSlot) return;
    if (this.lastSlot === undefined || nowSlot - this.lastSlot > this.slots.size) {
      const ready = [...this.slots.keys()].filter((s) => s <= nowSlot).sort((a, b) => a - b);
      for (const slot of ready) this.drainSlot(slot, visit);
    } else {
      for (let slot = this.lastSlot + 1; slot <= nowSlot; slot++) this.drainSlot(slot, visit);
    }
    this.lastSlot = nowSlot;
  }

  private drainSlot(slot: number, visit: (item: T) => void): void {
    const items = this.slots.get(slot);
    if (!items) return;
    this.slots.delete(slot);
    for (const item of items) visit(item);
  }
}
