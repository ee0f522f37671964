import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import {
  HealthInstant,
  HealthTaintSchema,
  ReadyConditionSchema,
  VerdictEvidenceSchema,
  VerdictRuleSchema,
  VerdictSchema,
} from './shared.js';

/**
 * NodeVerdictChanged — the health-arbiter's verdict on a node changed (SPEC F-HE-2, F-HE-6).
 * Emitter: health-arbiter, node-verdict aggregate (stream `health-verdict:<clusterId>:<node>`).
 * Consumers: cluster (sets `condition` and the arbiter-owned `taints` on its node read model, owner
 * `health-arbiter`), grid (on `NotReadyNoExecute`: evicts the node's pods and reschedules them
 * inside the unit, removes its endpoints; on leaving it: endpoints come back).
 * Invariants: emitted only when `verdict` differs from `previous` (never twice the same verdict in
 * a row on a stream); `previous` is null for a node's first verdict; `taints` is the arbiter's
 * complete taint set for the node afterwards (Ready → []); `NotReadyNoExecute` is never emitted
 * while the cluster is in global no-eviction mode; `at` is the arbiter's clock at evaluation.
 * `streamVersion` is the version of the node-verdict stream this event made: the event is a full
 * state (taints, condition), so a consumer keeps the highest it applied and ignores an older one
 * delivered late. Absent in events stored before it existed; those apply unconditionally.
 */
export const NodeVerdictChanged = defineEvent({
  type: 'NodeVerdictChanged',
  version: 1,
  subject: 'edgeplane.health.node.verdict-changed',
  emitter: 'health-arbiter',
  schema: z.object({
    clusterId: z.string().min(1),
    node: z.string().min(1),
    verdict: VerdictSchema,
    previous: VerdictSchema.nullable(),
    taints: z.array(HealthTaintSchema),
    condition: ReadyConditionSchema,
    rule: VerdictRuleSchema,
    evidence: VerdictEvidenceSchema,
    at: HealthInstant,
    streamVersion: z.number().int().positive().optional(),
  }),
});
export type NodeVerdictChangedData = z.infer<typeof NodeVerdictChanged.schema>;
