import type { FieldViolation } from '@edgeplane/es-kit';
import { labelsMatch } from '@edgeplane/k8s';
import type { nodepoolSchemas } from '@edgeplane/contracts';
import { labelKeyProblem, labelValueProblem, sortedMap, sortedUnique } from './k8s-names.js';

export type LabelSelector = nodepoolSchemas.LabelSelector;
export type SelectorOperator = nodepoolSchemas.SelectorRequirement['operator'];

/** Selector as accepted from callers (gRPC, YAML): everything optional. */
export interface LabelSelectorInput {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: SelectorOperator | string; values?: string[] }[];
}

export function isEmptySelector(selector: LabelSelector | undefined): boolean {
  return (
    !selector || (Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0)
  );
}

/**
 * Kubernetes selector semantics, except that an empty selector matches nothing (SuperEdge
 * site-manager behaviour: a unit or group without criteria must never grab every node/unit).
 */
export function matchesSelector(
  selector: LabelSelector | undefined,
  labels: Readonly<Record<string, string>>,
): boolean {
  return !!selector && !isEmptySelector(selector) && labelsMatch(selector, labels);
}

/** Validates and normalises (sorted keys, sorted unique values); undefined when no input. */
export function normalizeSelector(
  input: LabelSelectorInput | undefined,
  field: string,
  violations: FieldViolation[],
): LabelSelector | undefined {
  if (!input) return undefined;
  const matchLabels = sortedMap(input.matchLabels);
  for (const [key, value] of Object.entries(matchLabels)) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) violations.push({ field: `${field}.matchLabels`, description: keyProblem });
    const valueProblem = labelValueProblem(value);
    if (valueProblem) violations.push({ field: `${field}.matchLabels.${key}`, description: valueProblem });
  }
  const matchExpressions = (input.matchExpressions ?? []).map((req, i) => {
    const at = `${field}.matchExpressions[${i}]`;
    const keyProblem = labelKeyProblem(req.key);
    if (keyProblem) violations.push({ field: `${at}.key`, description: keyProblem });
    const values = sortedUnique(req.values);
    const operator = req.operator as SelectorOperator;
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0) {
        violations.push({
          field: `${at}.values`,
          description: `operator ${operator} needs at least one value (key "${req.key}")`,
        });
      }
      for (const v of values) {
        const p = labelValueProblem(v);
        if (p) violations.push({ field: `${at}.values`, description: p });
      }
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0) {
        violations.push({
          field: `${at}.values`,
          description: `operator ${operator} takes no values (key "${req.key}")`,
        });
      }
    } else {
      violations.push({
        field: `${at}.operator`,
        description: `unknown operator "${String(req.operator)}"; use In, NotIn, Exists or DoesNotExist`,
      });
    }
    return { key: req.key, operator, values };
  });
  return { matchLabels, matchExpressions };
}
