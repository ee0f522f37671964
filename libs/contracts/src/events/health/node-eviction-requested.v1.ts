import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { HealthInstant, VerdictRuleSchema } from './shared.js';

/**
 * NodeEvictionRequested — the health-arbiter asks for the pods of a node to be evicted (SPEC
 * F-HE-2 row "no / no": NoExecute; pods rescheduled inside the unit, endpoints removed).
 * Emitter: health-arbiter, node-verdict aggregate (stream `health-verdict:<clusterId>:<node>`),
 * appended together with the `NodeVerdictChanged` to `NotReadyNoExecute` it follows from.
 * Consumers: grid (evicts and reschedules the node's pods inside its unit, removes its endpoints).
 * Invariants: emitted exactly once per change INTO `NotReadyNoExecute` (never while the verdict
 * stays NoExecute, never for any other verdict); never emitted while the cluster is in global
 * no-eviction mode (the arbiter never reaches NoExecute there); `rule` is the decision-table rule
 * that fired (`peers-confirm-down`, `standard-no-unit` or `standard-check-disabled`), `reason`
 * its human-readable text; `at` equals the verdict change's `at`.
 */
export const NodeEvictionRequested = defineEvent({
  type: 'NodeEvictionRequested',
  version: 1,
  subject: 'edgeplane.health.node.eviction-requested',
  emitter: 'health-arbiter',
  schema: z.object({
    clusterId: z.string().min(1),
    node: z.string().min(1),
    rule: VerdictRuleSchema,
    reason: z.string().min(1),
    at: HealthInstant,
  }),
});
export type NodeEvictionRequestedData = z.infer<typeof NodeEvictionRequested.schema>;
