/**
 * The NodeUnit spec as operators and SuperEdge YAML declare it: types, constants, validation and
 * normalisation. The bottom of the domain (imports shared/ only): the membership engine, the
 * deciders and the YAML plan all build on it.
 */
import type { FieldViolation } from '@edgeplane/es-kit';
import type { nodepoolSchemas } from '@edgeplane/contracts';
import { LIMITS, utf8Length } from '@edgeplane/k8s';
import {
  dns1123SubdomainProblem,
  labelKeyProblem,
  labelValueProblem,
  sortedMap,
  sortedUnique,
} from '../shared/k8s-names.js';
import { isEmptySelector, normalizeSelector, type LabelSelectorInput } from '../shared/label-selector.js';

export type NodeUnitSpec = nodepoolSchemas.NodeUnitSpec;
export type UnitType = nodepoolSchemas.UnitType;
export type Taint = nodepoolSchemas.Taint;

/** The value of the membership label `<unit>: nodeunits.superedge.io` every member carries. */
export const UNIT_LABEL_VALUE = 'nodeunits.superedge.io';
/** The default unit every cluster has; it holds every node. */
export const DEFAULT_UNIT_NAME = 'unit-node-all';

const UNIT_TYPES: readonly UnitType[] = ['edge', 'cloud', 'master', 'other'];
const TAINT_EFFECTS: readonly Taint['effect'][] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export interface TaintInput {
  key: string;
  value?: string;
  effect: Taint['effect'] | string;
}

/** A unit spec as callers send it (gRPC, YAML); everything optional, normalised by the decider. */
export interface NodeUnitSpecInput {
  type?: UnitType | string;
  nodes?: string[];
  selector?: LabelSelectorInput;
  setNode?: { labels?: Record<string, string>; annotations?: Record<string, string>; taints?: TaintInput[] };
  labels?: Record<string, string>;
}

/**
 * Validates and normalises a unit spec (sorted unique nodes, sorted maps, taints sorted by
 * key/effect). `setNode.labels[<unit>] = nodeunits.superedge.io` is dropped: nodepool writes the
 * membership label itself, and SuperEdge exports carry it (so `apply -f` of an export round-trips).
 */
export function normalizeUnitSpec(
  unitName: string,
  input: NodeUnitSpecInput,
  violations: FieldViolation[],
  field = 'spec',
): Omit<NodeUnitSpec, 'allNodes'> {
  const type = (input.type ?? 'edge') as UnitType;
  if (!UNIT_TYPES.includes(type)) {
    violations.push({
      field: `${field}.type`,
      description: `unknown unit type "${String(input.type)}"; use edge, cloud, master or other`,
    });
  }
  const nodes = sortedUnique(input.nodes);
  for (const node of nodes) {
    const p = dns1123SubdomainProblem(node);
    if (p) violations.push({ field: `${field}.nodes`, description: `node name ${p}` });
  }
  const selector = normalizeSelector(input.selector, `${field}.selector`, violations);

  const labels = sortedMap(input.setNode?.labels);
  if (Object.hasOwn(labels, unitName) && labels[unitName] === UNIT_LABEL_VALUE) delete labels[unitName];
  validateLabelMap(labels, `${field}.setNode.labels`, violations);
  if (Object.prototype.hasOwnProperty.call(labels, unitName)) {
    violations.push({
      field: `${field}.setNode.labels.${unitName}`,
      description: `"${unitName}" is the unit's own membership label (value "${UNIT_LABEL_VALUE}"); it cannot be set to "${labels[unitName]}"`,
    });
  }
  const annotations = sortedMap(input.setNode?.annotations);
  for (const key of Object.keys(annotations)) {
    const p = labelKeyProblem(key);
    if (p) violations.push({ field: `${field}.setNode.annotations`, description: p });
  }
  // Kubernetes' bound on a node's annotations (keys + values), so what a unit sets fits a node
  const total = annotationsBytes(annotations);
  if (total > LIMITS.annotationsTotalBytes) {
    violations.push({
      field: `${field}.setNode.annotations`,
      description: `must be at most ${LIMITS.annotationsTotalBytes} bytes in total (keys and values), got ${total}`,
    });
  }
  const taints = normalizeTaints(input.setNode?.taints ?? [], `${field}.setNode.taints`, violations);

  const unitLabels = sortedMap(input.labels);
  validateLabelMap(unitLabels, `${field}.labels`, violations);

  return {
    type,
    nodes,
    ...(selector && !isEmptySelector(selector) ? { selector } : {}),
    setNode: { labels, annotations, taints },
    labels: unitLabels,
  };
}

function validateLabelMap(map: Record<string, string>, field: string, violations: FieldViolation[]): void {
  for (const [key, value] of Object.entries(map)) {
    const kp = labelKeyProblem(key);
    if (kp) violations.push({ field, description: kp });
    const vp = labelValueProblem(value);
    if (vp) violations.push({ field: `${field}.${key}`, description: vp });
  }
}

function normalizeTaints(input: TaintInput[], field: string, violations: FieldViolation[]): Taint[] {
  const seen = new Map<string, string>();
  const taints: Taint[] = [];
  input.forEach((t, i) => {
    const at = `${field}[${i}]`;
    const kp = labelKeyProblem(t.key);
    if (kp) violations.push({ field: `${at}.key`, description: kp });
    const value = t.value ?? '';
    const vp = labelValueProblem(value);
    if (vp) violations.push({ field: `${at}.value`, description: vp });
    const effect = t.effect as Taint['effect'];
    if (!TAINT_EFFECTS.includes(effect)) {
      violations.push({
        field: `${at}.effect`,
        description: `unknown taint effect "${String(t.effect)}"; use NoSchedule, PreferNoSchedule or NoExecute`,
      });
    }
    const id = `${t.key}:${effect}`;
    const previous = seen.get(id);
    if (previous !== undefined) {
      violations.push({
        field: at,
        description: `duplicate taint ${t.key}:${effect} (values "${previous}" and "${value}")`,
      });
      return;
    }
    seen.set(id, value);
    taints.push({ key: t.key, value, effect });
  });
  return taints.sort(compareTaints);
}

export function compareTaints(a: Taint, b: Taint): number {
  return a.key === b.key ? a.effect.localeCompare(b.effect) : a.key < b.key ? -1 : 1;
}

function annotationsBytes(map: Readonly<Record<string, string>>): number {
  let total = 0;
  for (const [k, v] of Object.entries(map)) total += utf8Length(k) + utf8Length(v);
  return total;
}
