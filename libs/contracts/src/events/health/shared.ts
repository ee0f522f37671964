import { z } from 'zod';

/**
 * Schema pieces shared by the health-arbiter's catalogue entries (not events themselves). The
 * verdict vocabulary lives here so the arbiter, the cluster node projection and the grid
 * service's eviction consumer read the same words.
 */

/** ISO-8601 instant with offset, as produced by `Date.prototype.toISOString()`. */
export const HealthInstant = z.iso.datetime({ offset: true });

/**
 * The arbiter's verdict on one node (SPEC F-HE-2):
 * - `Ready`: the cloud hears the node (within the grace period) — whatever peers say.
 * - `NotReadyNoSchedule`: cloud lost, but eviction is withheld (peers vouch, no quorum, whole unit
 *   dark, or global no-eviction): no new pods; existing pods and endpoints stay.
 * - `NotReadyNoExecute`: cloud lost and either a majority of peers confirm it down, or the node is
 *   not peer-checked (standard Kubernetes behaviour): pods evicted, endpoints removed.
 * - `Unknown`: registered, never heard by the cloud, still inside the grace period.
 */
export const VerdictSchema = z.enum(['Ready', 'NotReadyNoSchedule', 'NotReadyNoExecute', 'Unknown']);
export type Verdict = z.infer<typeof VerdictSchema>;

/** Which rule of the decision table produced a verdict (F-HE-6 explainability). */
export const VerdictRuleSchema = z.enum([
  'awaiting-first-heartbeat',
  'cloud-contact',
  'no-eviction-mode',
  'standard-no-unit',
  'standard-check-disabled',
  'membership-catching-up',
  'unit-dark-freeze',
  'peers-confirm-down',
  'peers-vouch',
  'no-quorum',
]);
export type VerdictRule = z.infer<typeof VerdictRuleSchema>;

/** A Kubernetes taint the arbiter owns on a node (`node.kubernetes.io/unreachable|not-ready`). */
export const HealthTaintSchema = z.object({
  key: z.string().min(1),
  value: z.string(),
  effect: z.enum(['NoSchedule', 'NoExecute']),
});
export type HealthTaint = z.infer<typeof HealthTaintSchema>;

/** The node's `Ready` condition as the arbiter sets it on the node read model. */
export const ReadyConditionSchema = z.object({
  type: z.literal('Ready'),
  status: z.enum(['True', 'False', 'Unknown']),
  reason: z.string().min(1),
  message: z.string(),
});
export type ReadyCondition = z.infer<typeof ReadyConditionSchema>;

/**
 * Why a verdict was reached. `peers` lists the fresh, counted votes (newest first), capped at
 * `MAX_EVIDENCE_PEERS`; `peersOmitted` says how many more there were (ExplainNode has them all).
 */
export const MAX_EVIDENCE_PEERS = 32;
export const VerdictEvidenceSchema = z.object({
  cloudLastSeen: HealthInstant.nullable(),
  cloudLost: z.boolean(),
  /** `cluster`: every peer-checked node of the cluster; `units`: multi-region, the node's units; `none`: not peer-checked. */
  scope: z.enum(['cluster', 'units', 'none']),
  units: z.array(z.string()),
  peers: z.array(z.object({ peer: z.string(), healthy: z.boolean(), ageMs: z.number().int().nonnegative() })),
  peersOmitted: z.number().int().nonnegative(),
  quorum: z.object({
    peerSetSize: z.number().int().nonnegative(),
    /** more than half of the peer set: floor(peerSetSize / 2) + 1 */
    needed: z.number().int().nonnegative(),
    /** fresh votes counted (reporters abstaining are not counted) */
    fresh: z.number().int().nonnegative(),
    healthyVotes: z.number().int().nonnegative(),
    unhealthyVotes: z.number().int().nonnegative(),
    abstained: z.number().int().nonnegative(),
  }),
  frozen: z.boolean(),
  darkUnits: z.array(z.string()),
});
export type VerdictEvidence = z.infer<typeof VerdictEvidenceSchema>;
