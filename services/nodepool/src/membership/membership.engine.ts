import { matchesSelector } from '../shared/label-selector.js';
import { compareTaints, UNIT_LABEL_VALUE, type NodeUnitSpec, type Taint } from '../model/node-unit.model.js';
import type { NodeGroupSpec } from '../model/node-group.model.js';
import { autoUnitName, hasAllKeys } from './auto-units.js';

/**
 * What nodepool knows about a node, from the cluster service's events (NodeJoined,
 * NodeLabelsChanged, NodeRemoved). `labels` are the OPERATOR/agent labels only — never the labels
 * nodepool itself put there — so selectors cannot feed on their own output.
 */
export interface NodeView {
  clusterId?: string;
  name: string;
  labels: Readonly<Record<string, string>>;
  ready?: boolean;
}

export interface UnitDef {
  name: string;
  spec: NodeUnitSpec;
  /** NodeGroup whose autoFindNodeKeys created this unit. */
  managedBy?: string;
}

/** A unit that a NodeGroup's autoFindNodeKeys asks for: always managed by that group. */
export interface AutoUnitDef extends UnitDef {
  managedBy: string;
}

export function unitDef(name: string, spec: NodeUnitSpec, managedBy?: string): UnitDef {
  return { name, spec, ...(managedBy ? { managedBy } : {}) };
}

export interface GroupDef {
  name: string;
  spec: NodeGroupSpec;
}

/** Everything of one cluster the engine looks at: live nodes, live units, live groups. */
export interface MembershipWorld {
  nodes: readonly NodeView[];
  units: readonly UnitDef[];
  groups: readonly GroupDef[];
}

/** The layer of labels/annotations/taints nodepool owns on one node. */
export interface NodeLayer {
  units: string[];
  groups: Record<string, string>;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  taints: Taint[];
}

export type MembershipConflict =
  | { kind: 'group-exclusivity'; node: string; group: string; units: string[]; chosen: string }
  | {
      kind: 'label';
      node: string;
      key: string;
      kept: { source: string; value: string };
      dropped: { source: string; value: string };
    }
  | {
      kind: 'annotation';
      node: string;
      key: string;
      kept: { source: string; value: string };
      dropped: { source: string; value: string };
    }
  | {
      kind: 'taint';
      node: string;
      key: string;
      effect: Taint['effect'];
      kept: { source: string; value: string };
      dropped: { source: string; value: string };
    }
  | { kind: 'auto-unit-name-taken'; group: string; unit: string; managedBy?: string };

export interface MembershipResult {
  /** Desired layer for EVERY node of the world (empty layer when in no unit). */
  nodes: Map<string, NodeLayer>;
  /** Resolved members per unit (every unit, incl. derived auto units), sorted. */
  unitMembers: Map<string, string[]>;
  /** Resolved units per group, sorted. */
  groupUnits: Map<string, string[]>;
  /** Units that autoFindNodeKeys asks for right now (materialised or not). */
  autoUnits: AutoUnitDef[];
  conflicts: MembershipConflict[];
}

export const EMPTY_LAYER: NodeLayer = Object.freeze({
  units: [],
  groups: {},
  labels: {},
  annotations: {},
  taints: [],
});

/** Spec of an auto-found unit: selects the nodes with exactly these key/value pairs. */
function autoUnitSpec(matchLabels: Record<string, string>): NodeUnitSpec {
  return {
    type: 'edge',
    nodes: [],
    selector: { matchLabels, matchExpressions: [] },
    allNodes: false,
    setNode: { labels: {}, annotations: {}, taints: [] },
    labels: {},
  };
}

/**
 * Pure membership/label engine. From the desired state of one cluster it computes, per node, the
 * full layer nodepool owns. Precedence on a clash (reported in `conflicts`, never silent):
 *   1. membership markers `<unit>: nodeunits.superedge.io`;
 *   2. group labels `<group>: <unit>` — a node matching two units of one group gets the unit
 *      whose name sorts first (only node-label changes can cause this; commands are refused);
 *   3. setNode labels/annotations/taints, units in name order, first writer wins per key.
 * Because the result depends only on the current desired state, moving a node between units
 * moves its labels and deleting a selector-only unit strips its labels (SuperEdge's incremental
 * stripping misses both).
 */
export function computeMembership(world: MembershipWorld): MembershipResult {
  const conflicts: MembershipConflict[] = [];
  const sortedNodes = [...world.nodes].sort(byName);
  const nodeNames = sortedNodes.map((n) => n.name);

  // Auto-found units (derived from node labels) join the declared ones.
  const declared = new Map(world.units.map((u) => [u.name, u]));
  const autoUnits: AutoUnitDef[] = [];
  const autoByGroup = new Map<string, Set<string>>();
  for (const group of [...world.groups].sort(byName)) {
    const keys = group.spec.autoFindNodeKeys;
    const names = new Set<string>();
    autoByGroup.set(group.name, names);
    if (keys.length === 0) continue;
    for (const node of sortedNodes) {
      if (!hasAllKeys(node.labels, keys)) continue;
      const unitName = autoUnitName(group.name, keys, node.labels);
      if (names.has(unitName)) continue;
      const existing = declared.get(unitName);
      if (existing && existing.managedBy !== group.name) {
        conflicts.push({
          kind: 'auto-unit-name-taken',
          group: group.name,
          unit: unitName,
          ...(existing.managedBy ? { managedBy: existing.managedBy } : {}),
        });
        continue;
      }
      names.add(unitName);
      const matchLabels: Record<string, string> = {};
      for (const k of [...keys].sort())
        matchLabels[k] = (Object.hasOwn(node.labels, k) ? node.labels[k] : '') as string;
      autoUnits.push({ name: unitName, spec: autoUnitSpec(matchLabels), managedBy: group.name });
    }
  }
  const units = new Map(declared);
  for (const u of autoUnits) if (!units.has(u.name)) units.set(u.name, u);
  const sortedUnits = [...units.values()].sort(byName);

  // Unit members.
  const unitMembers = new Map<string, string[]>();
  for (const { name, spec } of sortedUnits) {
    let members: string[];
    if (spec.allNodes) members = nodeNames;
    else {
      const explicit = new Set(spec.nodes);
      members = sortedNodes
        .filter((n) => explicit.has(n.name) || matchesSelector(spec.selector, n.labels))
        .map((n) => n.name);
    }
    unitMembers.set(name, members);
  }

  // Group units.
  const groupUnits = new Map<string, string[]>();
  for (const group of world.groups) {
    const chosen = new Set<string>();
    for (const u of group.spec.nodeUnits) if (units.has(u)) chosen.add(u);
    if (group.spec.selector) {
      for (const u of sortedUnits)
        if (matchesSelector(group.spec.selector, u.spec.labels)) chosen.add(u.name);
    }
    for (const u of autoByGroup.get(group.name) ?? []) chosen.add(u);
    groupUnits.set(group.name, [...chosen].sort());
  }

  // Node layers.
  const unitsOfNode = new Map<string, UnitDef[]>(nodeNames.map((n) => [n, []]));
  for (const unit of sortedUnits)
    for (const n of unitMembers.get(unit.name) ?? []) unitsOfNode.get(n)?.push(unit);

  const nodes = new Map<string, NodeLayer>();
  for (const node of nodeNames) {
    const myUnitDefs = unitsOfNode.get(node) ?? [];
    const myUnits = myUnitDefs.map((u) => u.name);
    const mine = new Set(myUnits);
    const labels: Record<string, string> = {};
    const labelSource: Record<string, string> = {};
    const put = (key: string, value: string, source: string): boolean => {
      const current = Object.hasOwn(labels, key) ? labels[key] : undefined;
      if (current === undefined) {
        labels[key] = value;
        labelSource[key] = source;
        return true;
      }
      if (current !== value) {
        conflicts.push({
          kind: 'label',
          node,
          key,
          kept: { source: labelSource[key] as string, value: current },
          dropped: { source, value },
        });
        return false;
      }
      return true;
    };
    for (const u of myUnits) put(u, UNIT_LABEL_VALUE, `unit ${u}`);

    const groups: Record<string, string> = {};
    for (const group of [...world.groups].sort(byName)) {
      const inGroup = (groupUnits.get(group.name) ?? []).filter((u) => mine.has(u));
      const first = inGroup[0];
      if (first === undefined) continue;
      if (inGroup.length > 1)
        conflicts.push({ kind: 'group-exclusivity', node, group: group.name, units: inGroup, chosen: first });
      if (put(group.name, first, `group ${group.name}`)) groups[group.name] = first;
    }

    const annotations: Record<string, string> = {};
    const annotationSource: Record<string, string> = {};
    const taints = new Map<string, { taint: Taint; source: string }>();
    for (const { name: u, spec } of myUnitDefs) {
      const { setNode } = spec;
      const source = `unit ${u} setNode`;
      for (const [k, v] of Object.entries(setNode.labels)) put(k, v, source);
      for (const [k, v] of Object.entries(setNode.annotations)) {
        const current = Object.hasOwn(annotations, k) ? annotations[k] : undefined;
        if (current === undefined) {
          annotations[k] = v;
          annotationSource[k] = source;
        } else if (current !== v) {
          conflicts.push({
            kind: 'annotation',
            node,
            key: k,
            kept: { source: annotationSource[k] as string, value: current },
            dropped: { source, value: v },
          });
        }
      }
      for (const t of setNode.taints) {
        const id = `${t.key}:${t.effect}`;
        const current = taints.get(id);
        if (!current) taints.set(id, { taint: t, source });
        else if (current.taint.value !== t.value) {
          conflicts.push({
            kind: 'taint',
            node,
            key: t.key,
            effect: t.effect,
            kept: { source: current.source, value: current.taint.value },
            dropped: { source, value: t.value },
          });
        }
      }
    }
    nodes.set(node, {
      units: myUnits,
      groups,
      labels: sortKeys(labels),
      annotations: sortKeys(annotations),
      taints: [...taints.values()].map((t) => t.taint).sort(compareTaints),
    });
  }

  return { nodes, unitMembers, groupUnits, autoUnits, conflicts };
}

export interface LayerDiff {
  labelsSet: Record<string, string>;
  labelsRemoved: string[];
  annotationsSet: Record<string, string>;
  annotationsRemoved: string[];
  taintsAdded: Taint[];
  taintsRemoved: Taint[];
}

/** What to write on a node to go from the layer applied before to the desired one. */
export function diffLayers(applied: NodeLayer, desired: NodeLayer): LayerDiff {
  const taintId = (t: Taint) => `${t.key}\u0000${t.effect}\u0000${t.value}`;
  const appliedTaints = new Set(applied.taints.map(taintId));
  const desiredTaints = new Set(desired.taints.map(taintId));
  return {
    labelsSet: changed(applied.labels, desired.labels),
    labelsRemoved: Object.keys(applied.labels)
      .filter((k) => !(k in desired.labels))
      .sort(),
    annotationsSet: changed(applied.annotations, desired.annotations),
    annotationsRemoved: Object.keys(applied.annotations)
      .filter((k) => !(k in desired.annotations))
      .sort(),
    taintsAdded: desired.taints.filter((t) => !appliedTaints.has(taintId(t))),
    taintsRemoved: applied.taints.filter((t) => !desiredTaints.has(taintId(t))),
  };
}

export function isEmptyDiff(d: LayerDiff): boolean {
  return (
    Object.keys(d.labelsSet).length === 0 &&
    d.labelsRemoved.length === 0 &&
    Object.keys(d.annotationsSet).length === 0 &&
    d.annotationsRemoved.length === 0 &&
    d.taintsAdded.length === 0 &&
    d.taintsRemoved.length === 0
  );
}

/**
 * The operator layer of a merged label map: drops the keys nodepool applied (with the value it
 * applied). Use it when only a merged view is available, so selectors never see nodepool output.
 */
export function operatorLabels(
  merged: Readonly<Record<string, string>>,
  applied: NodeLayer | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(merged)) if (!applied || applied.labels[k] !== v) out[k] = v;
  return out;
}

/** Replaces (or adds) one unit/group in a world — to evaluate a proposed change. */
export function withUnit(
  world: MembershipWorld,
  unit: UnitDef | { name: string; remove: true },
): MembershipWorld {
  const units = world.units.filter((u) => u.name !== unit.name);
  if (!('remove' in unit)) units.push(unit);
  return { ...world, units };
}

export function withGroup(
  world: MembershipWorld,
  group: GroupDef | { name: string; remove: true },
): MembershipWorld {
  const groups = world.groups.filter((g) => g.name !== group.name);
  if (!('remove' in group)) groups.push(group);
  return { ...world, groups };
}

function changed(from: Record<string, string>, to: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(to)) if (from[k] !== v) out[k] = v;
  return out;
}

function sortKeys(map: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(map).sort()) out[k] = map[k] as string;
  return out;
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
