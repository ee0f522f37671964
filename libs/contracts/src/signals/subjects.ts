/**
 * Subject layout of the SIGNALS stream (declared as `STREAMS.SIGNALS` in ../subjects.ts):
 *
 *   edgeplane.signal.<clusterId>.<partition>.<kind>      kind ∈ heartbeat | probe
 *
 * `<partition>` is `p00`…`p31`: a stable FNV-1a 32-bit hash of the cluster id modulo
 * `SIGNAL_PARTITIONS`. The cluster is the unit of work of the health-arbiter: without
 * multi-region every node's peer set is the whole cluster, and the dark-unit freeze needs every
 * heartbeat of a unit, so one cluster's signals must reach one instance. Several instances split
 * the clusters by partition: an instance owning partition 7 consumes `edgeplane.signal.*.p07.>`
 * (one durable consumer per owned partition — NATS 2.9 has no multi-filter consumers). The hash
 * and the partition count are part of the contract: changing either is a new subject version.
 *
 * Retention: short (see `SIGNAL_RETENTION_SECONDS`), longer than the default grace (40 s) and vote
 * TTL (60 s) with margin, so a restarted arbiter can rebuild its window by replaying the stream
 * (DeliverPolicy.All on an ephemeral consumer) and use the messages' stream timestamps as receipt
 * times. Publishers need no Msg-Id: a duplicate heartbeat or report is harmless (idempotent).
 *
 * With EDGEPLANE_ENV set, every subject here carries the environment in front
 * (`<env>.edgeplane.signal.…`, see ../naming.ts): these helpers return the subject on the wire.
 */
import { busSubject, logicalSubject } from '../naming.js';

export const SIGNAL_PARTITIONS = 32;
export const SIGNAL_RETENTION_SECONDS = 300;
export type SignalKind = 'heartbeat' | 'probe';

/** FNV-1a 32-bit over the UTF-8 bytes of `key` (stable across processes and languages). */
export function fnv1a32(key: string): number {
  const bytes = new TextEncoder().encode(key);
  let hash = 0x811c9dc5;
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** Partition number (0 ≤ p < SIGNAL_PARTITIONS) of a cluster's signals. */
export function signalPartition(clusterId: string): number {
  return fnv1a32(clusterId) % SIGNAL_PARTITIONS;
}

export function partitionToken(partition: number): string {
  if (!Number.isInteger(partition) || partition < 0 || partition >= SIGNAL_PARTITIONS) {
    throw new RangeError(`partition must be an integer in [0, ${SIGNAL_PARTITIONS}), got ${partition}`);
  }
  return `p${String(partition).padStart(2, '0')}`;
}

/** The subject a signal of `kind` about cluster `clusterId` is published on. */
export function signalSubject(kind: SignalKind, clusterId: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(clusterId)) throw new Error(`cluster id is not a subject token: ${clusterId}`);
  return busSubject(`edgeplane.signal.${clusterId}.${partitionToken(signalPartition(clusterId))}.${kind}`);
}

/** What every signal subject starts with on the wire (`edgeplane.signal.`, after the environment). */
export function signalSubjectPrefix(): string {
  return busSubject('edgeplane.signal.');
}

/** Filter subject of one partition's signals (all kinds, or one kind). */
export function signalPartitionFilter(partition: number, kind?: SignalKind): string {
  return busSubject(`edgeplane.signal.*.${partitionToken(partition)}.${kind ?? '*'}`);
}

/** Parses a signal subject back into its parts; undefined if it is not one. */
export function parseSignalSubject(
  subject: string,
): { clusterId: string; partition: number; kind: SignalKind } | undefined {
  const m = /^edgeplane\.signal\.([A-Za-z0-9_-]+)\.p(\d{2})\.(heartbeat|probe)$/.exec(
    logicalSubject(subject),
  );
  if (!m) return undefined;
  return { clusterId: m[1]!, partition: Number(m[2]), kind: m[3] as SignalKind };
}
