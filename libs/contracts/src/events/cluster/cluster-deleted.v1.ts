import { z } from 'zod';
import { defineEvent } from '../../define-event.js';
import { Instant } from './shared.js';

/**
 * ClusterDeleted — the cluster is gone (F-CL-7): projections drop it, every identity is revoked.
 * Emitter: cluster service, Cluster aggregate; last event of the stream.
 * Invariants: `nodeNames` lists every node still admitted (their credentials must be revoked and
 * their Node aggregates removed with reason `cluster-deleted`); the admin credential
 * `revokedAdminSerial` stops working; no command but delete (a no-op) is accepted afterwards.
 */
export const ClusterDeleted = defineEvent({
  type: 'ClusterDeleted',
  version: 1,
  subject: 'edgeplane.cluster.cluster.deleted',
  emitter: 'cluster',
  schema: z.object({
    clusterId: z.string().min(1),
    name: z.string(),
    nodeNames: z.array(z.string()),
    revokedAdminSerial: z.string().nullable(),
    deletedAt: Instant,
  }),
});
export type ClusterDeletedData = z.infer<typeof ClusterDeleted.schema>;
