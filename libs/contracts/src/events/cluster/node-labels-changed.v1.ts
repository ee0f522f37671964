import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { Instant, LabelMapSchema } from './shared.js';

/**
 * NodeLabelsChanged — operator-owned labels of a node changed (F-NO-6, F-NO-7).
 * Emitter: cluster service, Node aggregate. Invariants: keys/values follow Kubernetes label syntax;
 * no key is owned by a system owner (see NodeSystemLabelsChanged); only real changes are listed.
 */
export const NodeLabelsChanged = defineEvent({
  type: 'NodeLabelsChanged',
  version: 1,
  subject: 'edgeplane.cluster.node.labels-changed',
  emitter: 'cluster',
  schema: z.object({
    clusterId: z.string().min(1),
    nodeName: z.string().min(1),
    set: LabelMapSchema,
    removed: z.array(z.string()),
    changedAt: Instant,
  }),
});
export type NodeLabelsChangedData = z.infer<typeof NodeLabelsChanged.schema>;
