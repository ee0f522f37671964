import { SIGNAL_PARTITIONS } from '@edgeplane/contracts';

/** A live arbiter instance as the lease bucket lists it: its id and the partitions it may take. */
export interface LeaseMember {
  id: string;
  allowed: readonly number[];
}

/**
 * Who should hold each signal partition, given the live instances: every instance computes the
 * same plan from the same member list, so they agree without talking. Fair share: each partition
 * goes to the instance allowed to take it (HEALTH_PARTITIONS) that has the fewest so far; ties
 * are broken by a hash of (partition, instance), so adding or removing one instance moves few
 * partitions. A partition no member may take is absent from the plan.
 */
export function planPartitions(
  members: readonly LeaseMember[],
  partitions = SIGNAL_PARTITIONS,
): Map<number, string> {
  const sorted = [...members].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const allowed = sorted.map((m) => new Set(m.allowed));
  const counts = sorted.map(() => 0);
  const plan = new Map<number, string>();
  // Partitions with the fewest candidates first, so a restricted instance gets its own before
  // the unrestricted ones fill up on them.
  const order = Array.from({ length: partitions }, (_, p) => p);
  const candidates = order.map((p) => sorted.filter((_, i) => allowed[i]!.has(p)).length);
  order.sort((a, b) => candidates[a]! - candidates[b]! || a - b);
  for (const p of order) {
    let best = -1;
    for (let i = 0; i < sorted.length; i++) {
      if (!allowed[i]!.has(p)) continue;
      if (
        best < 0 ||
        counts[i]! < counts[best]! ||
        (counts[i] === counts[best] && tieBreak(p, sorted[i]!.id) < tieBreak(p, sorted[best]!.id))
      ) {
        best = i;
      }
    }
    if (best < 0) continue;
    counts[best]!++;
    plan.set(p, sorted[best]!.id);
  }
  return plan;
}

/** FNV-1a-32 of "partition/id": a stable pseudo-random order of instances per partition. */
function tieBreak(partition: number, id: string): number {
  let h = 0x811c9dc5;
  const text = `${partition}/${id}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
