import { ValidationError, type FieldViolation } from '@edgeplane/es-kit';
import {
  labelValueProblems,
  qualifiedNameProblems,
  isTaintEffect,
  taintProblems,
  type Taint,
} from '@edgeplane/k8s';
import {
  annotationLayers,
  CLUSTER_LABEL_OWNER,
  evolveNode,
  nodeEvent,
  type NodeEvent,
  type PresentNode,
} from './node.state.js';
import {
  CLUSTER_ID_ANNOTATION,
  annotationsSize,
  dedupeTaints,
  effectiveAnnotations,
  effectiveLabels,
  hasGpuPluginLabel,
} from './node.views.js';

/**
 * A node's labels, taints and annotations in layers (docs/architecture.md, "Who owns which node
 * labels"): the operator's, and each system owner's full layer. A key has one owner at a time.
 */

/** Value the nodepool service writes for NodeUnit membership (`<unit>: nodeunits.superedge.io`). */
const UNIT_MEMBERSHIP_VALUE = 'nodeunits.superedge.io';
/** Taint keys reserved for node conditions decided by the platform (health-arbiter, cordon). */
const RESERVED_TAINT_PREFIXES = ['node.kubernetes.io/', 'node.cloudprovider.kubernetes.io/'];
const OWNER = /^[a-z][a-z0-9-]{0,62}$/;
/** Kubernetes caps a Node's annotations (keys + values, in bytes) at 256 KiB. */
const ANNOTATIONS_SIZE_LIMIT_BYTES = 256 * 1024;

export interface LabelNode {
  type: 'LabelNode';
  clusterId: string;
  nodeName: string;
  set?: Record<string, string>;
  remove?: string[];
  now: string;
}

export interface TaintNode {
  type: 'TaintNode';
  clusterId: string;
  nodeName: string;
  /** Add, or replace the value of, the taint with the same (key, effect). */
  set?: { key: string; value?: string; effect: string }[];
  /** Remove by key (every effect) or by (key, effect). */
  remove?: { key: string; effect?: string }[];
  now: string;
}

/** Labels decided elsewhere (nodepool: unit membership and group labels), applied for `owner`. */
export interface ApplySystemLabels {
  type: 'ApplySystemLabels';
  clusterId: string;
  nodeName: string;
  owner: string;
  set?: Record<string, string>;
  remove?: string[];
  now: string;
}

/**
 * Annotations decided elsewhere (nodepool: the setNode annotations of the node's units), applied
 * for `owner`. Keys are qualified names like label keys; values are free text.
 */
export interface ApplySystemAnnotations {
  type: 'ApplySystemAnnotations';
  clusterId: string;
  nodeName: string;
  owner: string;
  set?: Record<string, string>;
  remove?: string[];
  now: string;
}

/** Taints decided elsewhere (health-arbiter: node.kubernetes.io/unreachable); `taints` is the owner's full set. */
export interface ApplySystemTaints {
  type: 'ApplySystemTaints';
  clusterId: string;
  nodeName: string;
  owner: string;
  taints: { key: string; value?: string; effect: string }[];
  now: string;
}

export function labelNode(c: LabelNode, node: PresentNode): NodeEvent[] {
  const set = c.set ?? {};
  const remove = c.remove ?? [];
  if (Object.keys(set).length === 0 && remove.length === 0)
    throw ValidationError.field('set', 'give labels to set and/or keys to remove');
  const violations = labelViolations(set, remove);
  const owners = systemKeyOwners(node);
  for (const [key, value] of Object.entries(set)) {
    const owner = owners.get(key);
    if (owner) violations.push({ field: `set.${key}`, description: ownedLabel(key, owner) });
    else if (value === UNIT_MEMBERSHIP_VALUE) {
      violations.push({
        field: `set.${key}`,
        description: `value ${UNIT_MEMBERSHIP_VALUE} marks NodeUnit membership, which only the nodepool service sets`,
      });
    }
  }
  for (const key of remove) {
    const owner = owners.get(key);
    if (owner) violations.push({ field: `remove.${key}`, description: ownedLabel(key, owner) });
  }
  if (violations.length > 0) throw new ValidationError(violations);

  const net = netChange(node.labels, set, remove);
  if (!net) return [];
  const change = nodeEvent('NodeLabelsChanged', {
    clusterId: c.clusterId,
    nodeName: c.nodeName,
    set: net.set,
    removed: net.removed,
    changedAt: c.now,
  });
  return [change, ...gpuFlip(node, change, c.now)];
}

export function applySystemLabels(c: ApplySystemLabels, node: PresentNode): NodeEvent[] {
  requireSystemOwner(c.owner);
  const set = c.set ?? {};
  const remove = c.remove ?? [];
  const violations = labelViolations(set, remove);
  const owners = systemKeyOwners(node);
  for (const key of [...Object.keys(set), ...remove]) {
    const owner = owners.get(key);
    if (owner && owner !== c.owner)
      violations.push({ field: `set.${key}`, description: ownedLabel(key, owner) });
  }
  if (violations.length > 0) throw new ValidationError(violations);
  const net = netChange(node.systemLabels[c.owner] ?? {}, set, remove);
  if (!net) return [];
  const change = nodeEvent('NodeSystemLabelsChanged', {
    clusterId: c.clusterId,
    nodeName: c.nodeName,
    owner: c.owner,
    set: net.set,
    removed: net.removed,
    changedAt: c.now,
  });
  return [change, ...gpuFlip(node, change, c.now)];
}

export function taintNode(c: TaintNode, node: PresentNode): NodeEvent[] {
  const set = c.set ?? [];
  const remove = c.remove ?? [];
  if (set.length === 0 && remove.length === 0)
    throw ValidationError.field('set', 'give taints to set and/or remove');
  const violations: FieldViolation[] = [];
  const systemOwned = new Map<string, string>();
  for (const [owner, taints] of Object.entries(node.systemTaints))
    for (const t of taints) systemOwned.set(t.key, owner);
  set.forEach((t, i) => {
    for (const p of taintProblems(t))
      violations.push({ field: `set[${i}]`, description: `taint ${t.key}: ${p}` });
    violations.push(...reservedTaint(t.key, `set[${i}]`, systemOwned));
  });
  remove.forEach((t, i) => {
    for (const p of qualifiedNameProblems(t.key))
      violations.push({ field: `remove[${i}].key`, description: p });
    if (t.effect !== undefined && !isTaintEffect(t.effect)) {
      violations.push({ field: `remove[${i}].effect`, description: `unknown effect "${t.effect}"` });
    }
    violations.push(...reservedTaint(t.key, `remove[${i}]`, systemOwned));
  });
  if (violations.length > 0) throw new ValidationError(violations);

  let taints = [...node.taints];
  const removed: Taint[] = [];
  for (const r of remove) {
    const gone = taints.filter((t) => t.key === r.key && (r.effect === undefined || t.effect === r.effect));
    removed.push(...gone);
    taints = taints.filter((t) => !gone.includes(t));
  }
  const added: Taint[] = [];
  for (const s of set) {
    if (!isTaintEffect(s.effect)) continue; // refused above
    const taint: Taint = { key: s.key, value: s.value ?? '', effect: s.effect };
    const existing = taints.find((t) => t.key === taint.key && t.effect === taint.effect);
    if (existing && existing.value === taint.value) continue;
    taints = taints.filter((t) => t !== existing);
    taints.push(taint);
    added.push(taint);
  }
  // A taint removed and set again unchanged is no change.
  const netRemoved = removed.filter((r) => !taints.some((t) => sameTaint(t, r)));
  const netAdded = added.filter((a) => !node.taints.some((t) => sameTaint(t, a)));
  if (netAdded.length === 0 && netRemoved.length === 0) return [];
  return [
    nodeEvent('NodeTaintsChanged', {
      clusterId: c.clusterId,
      nodeName: c.nodeName,
      added: netAdded,
      removed: netRemoved,
      taints,
      changedAt: c.now,
    }),
  ];
}

export function applySystemTaints(c: ApplySystemTaints, node: PresentNode): NodeEvent[] {
  requireSystemOwner(c.owner);
  const violations: FieldViolation[] = [];
  c.taints.forEach((t, i) => {
    for (const p of taintProblems(t))
      violations.push({ field: `taints[${i}]`, description: `taint ${t.key}: ${p}` });
  });
  if (violations.length > 0) throw new ValidationError(violations);
  const taints: Taint[] = dedupeTaints(
    c.taints.flatMap((t) =>
      isTaintEffect(t.effect) ? [{ key: t.key, value: t.value ?? '', effect: t.effect }] : [],
    ),
  );
  const current = node.systemTaints[c.owner] ?? [];
  if (taints.length === current.length && taints.every((t) => current.some((x) => sameTaint(x, t))))
    return [];
  return [
    nodeEvent('NodeSystemTaintsChanged', {
      clusterId: c.clusterId,
      nodeName: c.nodeName,
      owner: c.owner,
      taints,
      changedAt: c.now,
    }),
  ];
}

export function applySystemAnnotations(c: ApplySystemAnnotations, node: PresentNode): NodeEvent[] {
  requireSystemOwner(c.owner);
  const set = c.set ?? {};
  const remove = c.remove ?? [];
  const violations: FieldViolation[] = [];
  for (const key of Object.keys(set)) {
    for (const p of qualifiedNameProblems(key))
      violations.push({ field: `set.${key}`, description: `annotation key ${p}` });
    if (remove.includes(key))
      violations.push({ field: `remove.${key}`, description: `annotation ${key} is both set and removed` });
  }
  for (const key of remove) {
    for (const p of qualifiedNameProblems(key))
      violations.push({ field: `remove.${key}`, description: `annotation key ${p}` });
  }
  const owners = annotationKeyOwners(node);
  for (const [field, key] of [
    ...Object.keys(set).map((k) => [`set.${k}`, k] as const),
    ...remove.map((k) => [`remove.${k}`, k] as const),
  ]) {
    const owner = key === CLUSTER_ID_ANNOTATION ? CLUSTER_LABEL_OWNER : owners.get(key);
    if (owner && owner !== c.owner) {
      violations.push({
        field,
        description: `annotation ${key} is managed by the ${owner} service and cannot be changed here`,
      });
    }
  }
  if (violations.length > 0) throw new ValidationError(violations);

  const net = netChange(annotationLayers(node)[c.owner] ?? {}, set, remove);
  if (!net) return [];
  const change = nodeEvent('NodeSystemAnnotationsChanged', {
    clusterId: c.clusterId,
    nodeName: c.nodeName,
    owner: c.owner,
    set: net.set,
    removed: net.removed,
    changedAt: c.now,
  });
  const after = evolveNode(node, change);
  const size =
    after.status === 'present'
      ? annotationsSize({ ...effectiveAnnotations(after), [CLUSTER_ID_ANNOTATION]: node.clusterId })
      : 0;
  if (size > ANNOTATIONS_SIZE_LIMIT_BYTES) {
    throw ValidationError.field(
      'set',
      `annotations would total ${size} bytes; a node's annotations (keys and values) may total at most ${ANNOTATIONS_SIZE_LIMIT_BYTES} bytes (256 KiB)`,
    );
  }
  return [change];
}

function requireSystemOwner(owner: string): void {
  if (!OWNER.test(owner) || owner === 'operator') {
    throw ValidationError.field('owner', `"${owner}" is not a valid system owner name`);
  }
}

/** What `set` and `remove` really change in `current`: values that differ, keys that are there. */
function netChange(
  current: Record<string, string>,
  set: Record<string, string>,
  remove: string[],
): { set: Record<string, string>; removed: string[] } | undefined {
  const changed = Object.fromEntries(Object.entries(set).filter(([k, v]) => current[k] !== v));
  const removed = [...new Set(remove)].filter((k) => k in current);
  return Object.keys(changed).length === 0 && removed.length === 0 ? undefined : { set: changed, removed };
}

/** Syntax of a label change on its own (keys, values, set-and-removed): checked before any lookup. */
export function labelViolations(set: Record<string, string>, remove: string[]): FieldViolation[] {
  const violations: FieldViolation[] = [];
  for (const [key, value] of Object.entries(set)) {
    for (const p of qualifiedNameProblems(key))
      violations.push({ field: `set.${key}`, description: `label key ${p}` });
    for (const p of labelValueProblems(value))
      violations.push({ field: `set.${key}`, description: `label ${key}: ${p}` });
    if (remove.includes(key))
      violations.push({ field: `remove.${key}`, description: `label ${key} is both set and removed` });
  }
  for (const key of remove) {
    for (const p of qualifiedNameProblems(key))
      violations.push({ field: `remove.${key}`, description: `label key ${p}` });
  }
  return violations;
}

/** Label key → system owner holding it. */
function systemKeyOwners(node: PresentNode): Map<string, string> {
  const owners = new Map<string, string>();
  for (const [owner, labels] of Object.entries(node.systemLabels))
    for (const key of Object.keys(labels)) owners.set(key, owner);
  return owners;
}

/** Annotation key → system owner holding it. */
function annotationKeyOwners(node: PresentNode): Map<string, string> {
  const owners = new Map<string, string>();
  for (const [owner, annotations] of Object.entries(annotationLayers(node)))
    for (const key of Object.keys(annotations)) owners.set(key, owner);
  return owners;
}

function ownedLabel(key: string, owner: string): string {
  return `label ${key} is managed by the ${owner} service and cannot be changed here`;
}

function reservedTaint(key: string, field: string, systemOwned: Map<string, string>): FieldViolation[] {
  const owner = systemOwned.get(key);
  if (owner)
    return [
      { field, description: `taint ${key} is managed by the ${owner} service and cannot be changed here` },
    ];
  const prefix = RESERVED_TAINT_PREFIXES.find((p) => key.startsWith(p));
  if (prefix)
    return [
      {
        field,
        description: `taint keys under ${prefix} are reserved for node conditions the platform decides`,
      },
    ];
  return [];
}

function sameTaint(a: Taint, b: Taint): boolean {
  return a.key === b.key && a.effect === b.effect && a.value === b.value;
}

/** NodeGpuDevicePluginChanged when a label change flips the effective GPU label. */
function gpuFlip(node: PresentNode, change: NodeEvent, now: string): NodeEvent[] {
  const before = hasGpuPluginLabel(effectiveLabels(node));
  const after = evolveNode(node, change);
  if (after.status !== 'present') return [];
  const enabled = hasGpuPluginLabel(effectiveLabels(after));
  if (enabled === before) return [];
  return [
    nodeEvent('NodeGpuDevicePluginChanged', {
      clusterId: node.clusterId,
      nodeName: node.nodeName,
      enabled,
      gpuModel: node.inventory.gpuModel,
      changedAt: now,
    }),
  ];
}
