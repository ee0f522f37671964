import { z } from 'zod';

/**
 * Schema pieces shared by the grid service's catalogue entries (not events themselves). A grid's
 * manifest and a pod's spec are carried as JSON objects: the grid service's parser and renderer
 * (services/grid/src/domain) own their meaning and validate them before anything is appended.
 */

/** ISO-8601 instant with offset, as produced by `Date.prototype.toISOString()`. */
export const GridInstant = z.iso.datetime({ offset: true });

export const GridKindSchema = z.enum(['DeploymentGrid', 'StatefulSetGrid', 'ServiceGrid']);
export type GridKind = z.infer<typeof GridKindSchema>;

/** A JSON object (a parsed manifest, a rendered Kubernetes object, a pod spec). */
export const JsonObjectSchema = z.record(z.string(), z.unknown());

/** One per-unit child `<grid>-<unit>` and the revision (content hash) of what was rendered for it. */
export const GridChildSchema = z.object({
  unit: z.string().min(1),
  name: z.string().min(1),
  revision: z.string().min(1),
  /** the grid generation whose manifest the child is rendered from (older during a staged rollout) */
  generation: z.number().int().positive(),
});

/** One pod of a grid child as the grid service placed it. */
export const PodAssignmentSchema = z.object({
  grid: z.string().min(1),
  kind: GridKindSchema,
  child: z.string().min(1),
  unit: z.string().min(1),
  pod: z.string().min(1),
  /** the grid's namespace (added later: absent in older events, which mean `default`) */
  namespace: z.string().min(1).max(63).optional(),
  /** the child revision the pod runs (a rollout changes it wave by wave) */
  revision: z.string().min(1),
  /** the pod's spec (containers, env, resources …), as rendered */
  spec: JsonObjectSchema,
});
export type PodAssignment = z.infer<typeof PodAssignmentSchema>;
