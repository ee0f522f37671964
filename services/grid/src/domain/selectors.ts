import { labelsMatch } from '@edgeplane/k8s';
import type { LabelSelector, NodeSelectorTerm, Taint, Toleration, UnitMatcher } from './types.js';

/** The label every unit carries for matchers: `edgeplane.io/unit=<unit name>`. */
export const UNIT_NAME_LABEL = 'edgeplane.io/unit';

/** Kubernetes label-selector semantics: all matchLabels and all expressions; empty selects all. */
export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  return labelsMatch(selector, labels);
}

/**
 * A unit matcher selects a unit when its name is listed or its selector matches the unit's labels
 * (plus `edgeplane.io/unit=<name>`). A matcher with neither selects nothing (a typo must not hit
 * every unit); `unitSelector: {}` written out selects every unit, as in Kubernetes.
 */
export function unitMatches(
  matcher: UnitMatcher,
  unit: { name: string; labels: Readonly<Record<string, string>> },
): boolean {
  if (matcher.units?.includes(unit.name)) return true;
  if (!matcher.unitSelector) return false;
  return selectorMatches(matcher.unitSelector, { ...unit.labels, [UNIT_NAME_LABEL]: unit.name });
}

/** Whether a toleration tolerates a taint (Kubernetes `Toleration.ToleratesTaint`). */
export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  const operator = toleration.operator ?? 'Equal';
  if (!toleration.key) return operator === 'Exists'; // empty key + Exists tolerates everything
  if (toleration.key !== taint.key) return false;
  return operator === 'Exists' || (toleration.value ?? '') === taint.value;
}

/** The first taint with a NoSchedule/NoExecute effect no toleration tolerates (PreferNoSchedule never blocks). */
export function untoleratedTaint(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
  effects: readonly Taint['effect'][] = ['NoSchedule', 'NoExecute'],
): Taint | undefined {
  return taints.find((t) => effects.includes(t.effect) && !tolerations.some((tol) => tolerates(tol, t)));
}

/** Required node affinity: at least one term whose expressions all hold (no terms = no constraint). */
export function nodeAffinityMatches(
  terms: readonly NodeSelectorTerm[],
  labels: Readonly<Record<string, string>>,
): boolean {
  if (terms.length === 0) return true;
  return terms.some((term) =>
    term.matchExpressions.every((e) => {
      const has = Object.hasOwn(labels, e.key);
      const value = has ? (labels[e.key] as string) : '';
      switch (e.operator) {
        case 'In':
          return has && e.values.includes(value);
        case 'NotIn':
          return !has || !e.values.includes(value);
        case 'Exists':
          return has;
        case 'DoesNotExist':
          return !has;
        case 'Gt':
        case 'Lt': {
          if (!has || e.values.length !== 1) return false;
          const a = Number.parseInt(value, 10);
          const b = Number.parseInt(e.values[0] as string, 10);
          if (Number.isNaN(a) || Number.isNaN(b)) return false;
          return e.operator === 'Gt' ? a > b : a < b;
        }
      }
      return false;
    }),
  );
}

export function nodeSelectorMatches(
  nodeSelector: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
): boolean {
  return Object.keys(nodeSelector).every((k) => Object.hasOwn(labels, k) && labels[k] === nodeSelector[k]);
}
