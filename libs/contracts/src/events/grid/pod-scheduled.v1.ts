import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { GridInstant } from './shared.js';

/**
 * PodScheduled — a pod of a grid child was placed on a node of the child's unit (first placement,
 * or a move: after an eviction verdict, a drain, or the node leaving the unit). Emitter: grid
 * service, Grid aggregate, from the grid reconciler.
 * Invariants: `node` is a schedulable member of `unit` when decided (not cordoned, taints
 * tolerated, selector matched, requests within allocatable); `previousNode` is set on a move.
 */
export const PodScheduled = defineEvent({
  type: 'PodScheduled',
  version: 1,
  subject: 'edgeplane.grid.pod.scheduled',
  emitter: 'grid',
  schema: z.object({
    clusterId: z.string().min(1),
    grid: z.string().min(1),
    child: z.string().min(1),
    unit: z.string().min(1),
    pod: z.string().min(1),
    node: z.string().min(1),
    previousNode: z.string().nullable(),
    revision: z.string().min(1),
    at: GridInstant,
  }),
});
export type PodScheduledData = z.infer<typeof PodScheduled.schema>;
