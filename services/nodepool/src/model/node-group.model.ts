/** The NodeGroup spec as operators and SuperEdge YAML declare it (bottom of the domain, like node-unit.model.ts). */
import type { FieldViolation } from '@edgeplane/es-kit';
import type { nodepoolSchemas } from '@edgeplane/contracts';
import { dns1123LabelProblem, labelKeyProblem, sortedUnique } from '../shared/k8s-names.js';
import { isEmptySelector, normalizeSelector, type LabelSelectorInput } from '../shared/label-selector.js';

export type NodeGroupSpec = nodepoolSchemas.NodeGroupSpec;

export interface NodeGroupSpecInput {
  nodeUnits?: string[];
  selector?: LabelSelectorInput;
  autoFindNodeKeys?: string[];
}

export function normalizeGroupSpec(
  input: NodeGroupSpecInput,
  violations: FieldViolation[],
  field = 'spec',
): NodeGroupSpec {
  const nodeUnits = sortedUnique(input.nodeUnits);
  for (const unit of nodeUnits) {
    const p = dns1123LabelProblem(unit);
    if (p) violations.push({ field: `${field}.nodeUnits`, description: `unit name ${p}` });
  }
  const selector = normalizeSelector(input.selector, `${field}.selector`, violations);
  const autoFindNodeKeys = sortedUnique(input.autoFindNodeKeys);
  for (const key of autoFindNodeKeys) {
    const p = labelKeyProblem(key);
    if (p) violations.push({ field: `${field}.autoFindNodeKeys`, description: p });
  }
  return {
    nodeUnits,
    ...(selector && !isEmptySelector(selector) ? { selector } : {}),
    autoFindNodeKeys,
  };
}
