import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { GridInstant } from './shared.js';

/**
 * PodUnscheduled — a pod has no node: it was removed (child gone, replicas lowered, grid
 * deleted: `pending` false), or it stays Pending because no node of its unit can take it
 * (`pending` true, `reason` says why). Emitter: grid service, Grid aggregate, from the reconciler.
 * Invariants: `node` is the node it left (null when it never had one); emitted only when the
 * pod's placement or pending reason changed.
 */
export const PodUnscheduled = defineEvent({
  type: 'PodUnscheduled',
  version: 1,
  subject: 'edgeplane.grid.pod.unscheduled',
  emitter: 'grid',
  schema: z.object({
    clusterId: z.string().min(1),
    grid: z.string().min(1),
    child: z.string().min(1),
    unit: z.string().min(1),
    pod: z.string().min(1),
    node: z.string().nullable(),
    pending: z.boolean(),
    reason: z.string(),
    /** the template hash of the pod (the one it would run once placed) */
    revision: z.string(),
    at: GridInstant,
  }),
});
export type PodUnscheduledData = z.infer<typeof PodUnscheduled.schema>;
