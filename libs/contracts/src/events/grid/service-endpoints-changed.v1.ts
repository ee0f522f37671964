import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { GridInstant } from './shared.js';

/**
 * ServiceEndpointsChanged — the endpoints of a ServiceGrid in one unit changed: the ready pods its
 * selector picks on that unit's nodes (never a pod of another unit; nodes judged NotReadyNoExecute
 * or Unknown excluded, NotReadyNoSchedule kept — SPEC F-GR-3, F-HE-2). What the agents of that
 * unit resolve the service to; an empty list means the service answers 503 in that unit.
 * Emitter: grid service, Grid aggregate (the ServiceGrid's stream), from the reconciler.
 * Invariants: `endpoints` is the unit's FULL sorted list after the change; `removed` is true when
 * the unit left the ServiceGrid's group (then `endpoints` is empty).
 */
export const ServiceEndpointsChanged = defineEvent({
  type: 'ServiceEndpointsChanged',
  version: 1,
  subject: 'edgeplane.grid.service.endpoints-changed',
  emitter: 'grid',
  schema: z.object({
    clusterId: z.string().min(1),
    name: z.string().min(1),
    /** the rendered Service's name */
    service: z.string().min(1),
    unit: z.string().min(1),
    endpoints: z.array(
      z.object({ pod: z.string().min(1), node: z.string().min(1), ip: z.string().optional() }),
    ),
    removed: z.boolean(),
    at: GridInstant,
  }),
});
export type ServiceEndpointsChangedData = z.infer<typeof ServiceEndpointsChanged.schema>;
