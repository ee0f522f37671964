import { shortText, textProblem } from '@edgeplane/k8s';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { ValidationError, type FieldViolation } from '@edgeplane/es-kit';
import { UNIT_LABEL_VALUE, type NodeUnitSpecInput } from '../model/node-unit.model.js';
import type { NodeGroupSpecInput } from '../model/node-group.model.js';

/**
 * Reads SuperEdge site-manager YAML (`site.superedge.io/v1alpha2` NodeUnit and NodeGroup, one or
 * many documents) into nodepool specs. Field names are SuperEdge's JSON names (v1alpha2:
 * `setNode`, `nodeUnits`, `autoFindNodeKeys`, `unitSelector`-less `selector`). Unknown spec
 * fields are errors (a typo such as v1alpha1's `setnode` must not be silently dropped); fields
 * SuperEdge has but nodepool does not act on are accepted with a warning. Every error names its
 * path, e.g. `documents[1].spec.selector.matchExpressions[0].operator`.
 */
const SUPEREDGE_API_VERSION = 'site.superedge.io/v1alpha2';
const GROUP_UNIT_LABEL_VALUE = 'nodegroups.superedge.io';

export type SuperEdgeResource =
  | { kind: 'NodeUnit'; name: string; spec: NodeUnitSpecInput; document: number }
  | { kind: 'NodeGroup'; name: string; spec: NodeGroupSpecInput; document: number };

export interface ParsedSuperEdgeYaml {
  resources: SuperEdgeResource[];
  warnings: string[];
}

const StringMap = z.record(z.string(), z.string());
const Selector = z.strictObject({
  matchLabels: StringMap.nullish(),
  matchExpressions: z
    .array(
      z.strictObject({
        key: z.string(),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
        values: z.array(z.string()).nullish(),
      }),
    )
    .nullish(),
  annotations: StringMap.nullish(),
});
const Metadata = z.looseObject({ name: z.string().min(1), labels: StringMap.nullish() });
const Taint = z.looseObject({
  key: z.string(),
  value: z.string().nullish(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
});
const NodeUnitSpec = z.strictObject({
  type: z.enum(['edge', 'cloud', 'master', 'other']).nullish(),
  unschedulable: z.boolean().nullish(),
  nodes: z.array(z.string()).nullish(),
  selector: Selector.nullish(),
  setNode: z
    .strictObject({
      labels: StringMap.nullish(),
      annotations: StringMap.nullish(),
      taints: z.array(Taint).nullish(),
    })
    .nullish(),
  autonomyLevel: z.enum(['L3', 'L4', 'L5']).nullish(),
  unitCredentialConfigMapRef: z.unknown().optional(),
  unitClusterInfo: z.unknown().optional(),
});
const NodeGroupSpec = z.strictObject({
  nodeUnits: z.array(z.string()).nullish(),
  selector: Selector.nullish(),
  autoFindNodeKeys: z.array(z.string()).nullish(),
  workload: z.array(z.unknown()).nullish(),
});
const NodeUnitDoc = z.looseObject({
  kind: z.literal('NodeUnit'),
  metadata: Metadata,
  spec: NodeUnitSpec.nullish(),
});
const NodeGroupDoc = z.looseObject({
  kind: z.literal('NodeGroup'),
  metadata: Metadata,
  spec: NodeGroupSpec.nullish(),
});
/** One document, parsed by the schema of its kind (so `kind` narrows the parsed data). */
const SuperEdgeDoc = z.discriminatedUnion('kind', [NodeUnitDoc, NodeGroupDoc]);

/** Bounds on what Apply reads: text size, documents, alias expansions (yaml's maxAliasCount). */
export const YAML_LIMITS = Object.freeze({ chars: 256 * 1024, documents: 200, aliases: 100, nesting: 64 });

/** The first key or string value of a parsed document that cannot be stored, with its path. */
function badText(value: unknown, at: string): FieldViolation | undefined {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? { field: at, description: problem } : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [`[${i}]`, v])
    : Object.keys(value).map((k) => [k, (value as Record<string, unknown>)[k]]);
  for (const [key, v] of entries) {
    const path = key.startsWith('[') ? `${at}${key}` : `${at}.${shortText(key, 64)}`;
    const keyProblem = key.startsWith('[') ? undefined : textProblem(key);
    if (keyProblem) return { field: at, description: `a key ${keyProblem}` };
    const found = badText(v, path);
    if (found) return found;
  }
  return undefined;
}

/** Deepest nesting of flow collections ([ and {), a cheap over-estimate (quotes are not skipped). */
function flowNestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return max;
}

export function parseSuperEdgeYaml(text: string): ParsedSuperEdgeYaml {
  const violations: FieldViolation[] = [];
  const warnings: string[] = [];
  const resources: SuperEdgeResource[] = [];
  const seen = new Map<string, number>();

  if (text.length > YAML_LIMITS.chars) {
    throw ValidationError.field(
      'yaml',
      `must be at most ${YAML_LIMITS.chars} characters, got ${text.length}`,
    );
  }
  const depth = flowNestingDepth(text);
  if (depth > YAML_LIMITS.nesting) {
    // the parser's time grows with the nesting; refuse before handing it over
    throw ValidationError.field(
      'yaml',
      `must nest at most ${YAML_LIMITS.nesting} levels of [ and {, got ${depth}`,
    );
  }
  let documents: ReturnType<typeof parseAllDocuments>;
  try {
    documents = parseAllDocuments(text, { uniqueKeys: true });
  } catch (error) {
    // nesting deep enough to exhaust the parser is an input problem, not a server one
    throw ValidationError.field('yaml', `could not be read: ${shortText((error as Error).message, 120)}`);
  }
  if (documents.length > YAML_LIMITS.documents) {
    throw ValidationError.field(
      'yaml',
      `must hold at most ${YAML_LIMITS.documents} documents, got ${documents.length}`,
    );
  }
  documents.forEach((doc, i) => {
    const at = `documents[${i}]`;
    if (doc.errors.length > 0) {
      for (const e of doc.errors.slice(0, 5))
        violations.push({
          field: at,
          description: `YAML syntax: ${shortText(e.message.split('\n')[0] ?? '', 200)}`,
        });
      return;
    }
    let raw: unknown;
    try {
      // aliases bounded: an alias bomb ("billion laughs") expands into a refusal, not into memory
      raw = doc.toJS({ maxAliasCount: YAML_LIMITS.aliases });
    } catch (error) {
      violations.push({
        field: at,
        description: `could not be read: ${shortText((error as Error).message, 120)}`,
      });
      return;
    }
    if (raw === null || raw === undefined) return;
    // YAML escapes ("\0", "\ud800") make text the gRPC guard never saw: NUL or lone surrogates
    const bad = badText(raw, at);
    if (bad) {
      violations.push(bad);
      return;
    }
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      violations.push({
        field: at,
        description: 'expected a mapping with apiVersion, kind, metadata and spec',
      });
      return;
    }
    const apiVersion = 'apiVersion' in raw ? raw.apiVersion : undefined;
    const kind = 'kind' in raw ? raw.kind : undefined;
    if (kind !== 'NodeUnit' && kind !== 'NodeGroup') {
      violations.push({
        field: `${at}.kind`,
        description: `unsupported kind ${shortText(JSON.stringify(kind) ?? 'undefined')}; expected NodeUnit or NodeGroup`,
      });
      return;
    }
    if (apiVersion !== SUPEREDGE_API_VERSION) {
      const hint =
        apiVersion === 'site.superedge.io/v1alpha1'
          ? ' (v1alpha1 is not accepted; convert it: setnode → setNode)'
          : '';
      violations.push({
        field: `${at}.apiVersion`,
        description: `expected ${SUPEREDGE_API_VERSION}, got ${shortText(JSON.stringify(apiVersion) ?? 'undefined')}${hint}`,
      });
      return;
    }
    const parsed = SuperEdgeDoc.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        violations.push({ field: pathOf(at, issue.path), description: issue.message });
      return;
    }
    const manifest = parsed.data;
    const name = manifest.metadata.name;
    const key = `${kind}/${name}`;
    const previous = seen.get(key);
    if (previous !== undefined) {
      violations.push({
        field: `${at}.metadata.name`,
        description: `${kind} "${name}" is also defined in documents[${previous}]`,
      });
      return;
    }
    seen.set(key, i);
    const where = `${kind} "${name}" (${at})`;
    if (manifest.kind === 'NodeUnit') {
      resources.push({
        kind: manifest.kind,
        name,
        spec: unitSpec(name, manifest, at, where, violations, warnings),
        document: i,
      });
    } else {
      resources.push({ kind: manifest.kind, name, spec: groupSpec(manifest, where, warnings), document: i });
    }
    if (manifest.status !== undefined) warnings.push(`${where}: status is ignored (nodepool computes it)`);
  });

  if (violations.length > 0) throw new ValidationError(violations);
  return { resources, warnings };
}

function unitSpec(
  name: string,
  doc: z.infer<typeof NodeUnitDoc>,
  at: string,
  where: string,
  violations: FieldViolation[],
  warnings: string[],
): NodeUnitSpecInput {
  const spec: z.infer<typeof NodeUnitSpec> = doc.spec ?? {};
  if (spec.autonomyLevel === 'L4' || spec.autonomyLevel === 'L5') {
    violations.push({
      field: `${at}.spec.autonomyLevel`,
      description: `autonomyLevel ${spec.autonomyLevel} asks for a K3s (Kins) unit; apply the unit with L3 and promote it (edgeplane unit promote ${name} --mode ${spec.autonomyLevel === 'L4' ? 'single' : 'ha'})`,
    });
  }
  if (spec.unschedulable)
    warnings.push(`${where}: spec.unschedulable is ignored (SuperEdge stores it without acting on it)`);
  if (spec.unitCredentialConfigMapRef !== undefined || spec.unitClusterInfo !== undefined) {
    warnings.push(
      `${where}: spec.unitCredentialConfigMapRef/unitClusterInfo are ignored (Kins settings are given at promotion)`,
    );
  }
  if (spec.selector?.annotations)
    warnings.push(`${where}: spec.selector.annotations is ignored (not implemented by SuperEdge either)`);

  // SuperEdge writes `<group>=<unit>` into setNode.labels of every unit of a group; nodepool
  // computes group labels itself, so exports carrying them are not taken as operator labels.
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.setNode?.labels ?? {})) {
    if (k === name && v === UNIT_LABEL_VALUE) continue;
    if (v === name) {
      warnings.push(
        `${where}: setNode label ${k}=${v} looks written by NodeGroup "${k}" and is ignored (group labels are computed)`,
      );
      continue;
    }
    labels[k] = v;
  }
  const unitLabels: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc.metadata.labels ?? {})) {
    if (v === GROUP_UNIT_LABEL_VALUE) continue; // written by SuperEdge's NodeGroup controller
    unitLabels[k] = v;
  }
  return {
    ...(spec.type ? { type: spec.type } : {}),
    nodes: spec.nodes ?? [],
    ...(spec.selector ? { selector: selectorOf(spec.selector) } : {}),
    setNode: {
      labels,
      annotations: spec.setNode?.annotations ?? {},
      taints: (spec.setNode?.taints ?? []).map((t) => ({
        key: t.key,
        value: t.value ?? '',
        effect: t.effect,
      })),
    },
    labels: unitLabels,
  };
}

function groupSpec(doc: z.infer<typeof NodeGroupDoc>, where: string, warnings: string[]): NodeGroupSpecInput {
  const spec: z.infer<typeof NodeGroupSpec> = doc.spec ?? {};
  if (spec.workload && spec.workload.length > 0)
    warnings.push(`${where}: spec.workload is ignored (SuperEdge records it without acting on it)`);
  return {
    nodeUnits: spec.nodeUnits ?? [],
    ...(spec.selector ? { selector: selectorOf(spec.selector) } : {}),
    autoFindNodeKeys: spec.autoFindNodeKeys ?? [],
  };
}

function selectorOf(s: z.infer<typeof Selector>) {
  return {
    matchLabels: s.matchLabels ?? {},
    matchExpressions: (s.matchExpressions ?? []).map((e) => ({
      key: e.key,
      operator: e.operator,
      values: e.values ?? [],
    })),
  };
}

function pathOf(at: string, path: readonly PropertyKey[]): string {
  let out = at;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `.${String(p)}`;
  return out;
}
