import { z } from 'zod';

/**
 * Shapes shared by the nodepool catalogue entries. They are stored normalised: maps are plain
 * objects, lists are sorted and unique, a selector always has both `matchLabels` and
 * `matchExpressions` (possibly empty), a taint always has a `value` (possibly '').
 */
export const LabelMapSchema = z.record(z.string(), z.string());

export const SelectorOperatorSchema = z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']);

export const SelectorRequirementSchema = z.object({
  key: z.string(),
  operator: SelectorOperatorSchema,
  values: z.array(z.string()),
});

/**
 * Kubernetes label selector. Unlike Kubernetes, an empty selector (no labels, no expressions)
 * selects NOTHING — SuperEdge's site-manager semantics, and the safe default for label writers.
 */
export const LabelSelectorSchema = z.object({
  matchLabels: LabelMapSchema,
  matchExpressions: z.array(SelectorRequirementSchema),
});

export const TaintEffectSchema = z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);

export const TaintSchema = z.object({
  key: z.string(),
  value: z.string(),
  effect: TaintEffectSchema,
});

/** What a unit writes onto each of its member nodes (SuperEdge `spec.setNode`). */
export const SetNodeSchema = z.object({
  labels: LabelMapSchema,
  annotations: LabelMapSchema,
  taints: z.array(TaintSchema),
});

export const UnitTypeSchema = z.enum(['edge', 'cloud', 'master', 'other']);

/** Desired spec of a NodeUnit as carried by NodeUnitCreated / NodeUnitUpdated. */
export const NodeUnitSpecSchema = z.object({
  type: UnitTypeSchema,
  /** Explicit members; names of nodes that do not exist (yet) are kept and ignored. */
  nodes: z.array(z.string()),
  selector: LabelSelectorSchema.optional(),
  /** Only the default unit `unit-node-all`: every node of the cluster is a member. */
  allNodes: z.boolean(),
  setNode: SetNodeSchema,
  /** The unit's own labels (matched by NodeGroup selectors); never written to nodes. */
  labels: LabelMapSchema,
});

/** Desired spec of a NodeGroup as carried by NodeGroupCreated / NodeGroupUpdated. */
export const NodeGroupSpecSchema = z.object({
  nodeUnits: z.array(z.string()),
  /** Selector over unit labels. */
  selector: LabelSelectorSchema.optional(),
  /** Node label keys; one unit per distinct value tuple is created, named `<group>-<values…>`. */
  autoFindNodeKeys: z.array(z.string()),
});

export const KinsModeSchema = z.enum(['single', 'ha']);
export const KinsRoleSchema = z.enum(['server', 'agent']);
export const KinsNodeSchema = z.object({ name: z.string(), role: KinsRoleSchema });
export const PortRangeSchema = z.object({
  from: z.number().int().min(1).max(65535),
  to: z.number().int().min(1).max(65535),
});

export type LabelSelector = z.infer<typeof LabelSelectorSchema>;
export type SelectorRequirement = z.infer<typeof SelectorRequirementSchema>;
export type Taint = z.infer<typeof TaintSchema>;
export type SetNode = z.infer<typeof SetNodeSchema>;
export type UnitType = z.infer<typeof UnitTypeSchema>;
export type NodeUnitSpec = z.infer<typeof NodeUnitSpecSchema>;
export type NodeGroupSpec = z.infer<typeof NodeGroupSpecSchema>;
export type KinsMode = z.infer<typeof KinsModeSchema>;
export type KinsRole = z.infer<typeof KinsRoleSchema>;
export type KinsNode = z.infer<typeof KinsNodeSchema>;
export type PortRange = z.infer<typeof PortRangeSchema>;
