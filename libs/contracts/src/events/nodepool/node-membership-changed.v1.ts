import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { LabelMapSchema, TaintSchema } from './common.js';

/**
 * NodeMembershipChanged — the labels, annotations and taints that nodepool OWNS on one node
 * changed: `<unit>: nodeunits.superedge.io` for each unit the node is in, `<group>: <unit>` for
 * each group, and the setNode labels/annotations/taints of its units. Emitter: nodepool
 * (node-membership aggregate, stream `nodemembership:<clusterId>:<node>`), computed from the
 * desired state of all units, groups and nodes — never incrementally.
 * Consumers: cluster (overlays `labels`/`annotations`/`taints` on its node read model, replacing
 * the previous nodepool layer), grid (`groups`), health-arbiter (`units`).
 * Invariants: `labels`, `annotations`, `taints`, `units`, `groups` are the FULL owned layer after
 * the change (empty when the node is in no unit or was removed); the `*Set`/`*Removed`/`taints*`
 * fields are the difference to the previous layer and are never all empty.
 * `streamVersion` is the version of the node-membership stream this event made (1, 2, …): the event
 * is a full state, so a consumer keeps the highest it applied and ignores an older one delivered
 * late (a nak'd message redelivered after a newer one). Absent in events stored before it existed;
 * those apply unconditionally.
 */
export const NodeMembershipChanged = defineEvent({
  type: 'NodeMembershipChanged',
  version: 1,
  subject: 'edgeplane.nodepool.node-membership.changed',
  emitter: 'nodepool',
  schema: z.object({
    clusterId: z.string(),
    node: z.string(),
    units: z.array(z.string()),
    groups: LabelMapSchema,
    labels: LabelMapSchema,
    annotations: LabelMapSchema,
    taints: z.array(TaintSchema),
    labelsSet: LabelMapSchema,
    labelsRemoved: z.array(z.string()),
    annotationsSet: LabelMapSchema,
    annotationsRemoved: z.array(z.string()),
    taintsAdded: z.array(TaintSchema),
    taintsRemoved: z.array(TaintSchema),
    at: z.string(),
    streamVersion: z.number().int().positive().optional(),
  }),
});
export type NodeMembershipChangedData = z.infer<typeof NodeMembershipChanged.schema>;
