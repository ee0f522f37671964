/**
 * Reads `superedge.io/v1` DeploymentGrid / StatefulSetGrid / ServiceGrid documents as SuperEdge's
 * CRDs accept them (spec.gridUniqKey, spec.template, spec.templatePool, spec.templates,
 * spec.defaultTemplateName, spec.autoDeleteUnusedTemplate) plus Edgeplane's extensions
 * `spec.overriders` and `spec.rolloutStrategy`. Unknown spec fields are errors (a typo must not be
 * dropped silently); `status` is ignored with a warning. The embedded Deployment/StatefulSet/
 * Service specs are validated against the Kubernetes schemas (kubernetes-models). Every error
 * names its field path, e.g. `documents[0].spec.template.template.spec.containers[0].image`.
 */
import { ValidationError, type FieldViolation } from '@edgeplane/es-kit';
import {
  annotationMapProblems,
  dns1123LabelProblems,
  labelMapProblems,
  labelValueProblems,
  qualifiedNameProblems,
  shortText,
  textProblem,
} from '@edgeplane/k8s';
import { DeploymentSpec, StatefulSetSpec } from 'kubernetes-models/apps/v1';
import { ServiceSpec } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { serviceName } from './names.js';
import { quantityProblem } from './quantity.js';
import {
  GRID_API_VERSION,
  GRID_KINDS,
  type Grid,
  type GridKind,
  type LabelSelector,
  type Overrider,
  type ParsedGrids,
  type RolloutStrategy,
  type UnitMatcher,
} from './types.js';

/** Bounds on what a grid may hold and on the YAML read (alias expansion, nesting, size). */
export const GRID_LIMITS = Object.freeze({
  yamlChars: 512 * 1024,
  documents: 100,
  aliases: 100,
  nesting: 64,
  /** replicas of one child (per unit) */
  replicas: 1000,
  templatePool: 64,
  /** `templates` entries (one per unit at most) */
  templates: 10_000,
  overriders: 100,
  waves: 100,
  /** units one matcher may list by name */
  matcherUnits: 10_000,
  containers: 32,
  image: 512,
  env: 256,
});

export const DEFAULT_TEMPLATE_NAME = 'default';

export const DEFAULT_ROLLOUT: Readonly<RolloutStrategy> = Object.freeze({
  waves: [],
  waveSize: '25%',
  maxUnavailable: '100%',
  soakSeconds: 30,
  progressDeadlineSeconds: 600,
  paused: false,
});

const StringMap = z.record(z.string(), z.string());
const Json = z.record(z.string(), z.unknown());
const Selector = z.strictObject({
  matchLabels: StringMap.nullish(),
  matchExpressions: z
    .array(
      z.strictObject({
        key: z.string(),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
        values: z.array(z.string()).max(256).nullish(),
      }),
    )
    .max(64)
    .nullish(),
});
const matcherShape = {
  unitSelector: Selector.nullish(),
  units: z.array(z.string()).max(GRID_LIMITS.matcherUnits).nullish(),
};
const Quantity = z.union([z.string(), z.number()]);
const ResourceList = z.record(z.string(), Quantity);
const Overriders = z
  .array(
    z.strictObject({
      name: z.string().max(63).nullish(),
      ...matcherShape,
      replicas: z.number().int().min(0).max(GRID_LIMITS.replicas).nullish(),
      images: z
        .array(z.strictObject({ container: z.string(), image: z.string().min(1).max(GRID_LIMITS.image) }))
        .max(GRID_LIMITS.containers)
        .nullish(),
      env: z
        .array(
          z.strictObject({
            container: z.string().nullish(),
            name: z.string().min(1).max(256),
            value: z
              .string()
              .max(32 * 1024)
              .nullish(),
            remove: z.boolean().nullish(),
          }),
        )
        .max(GRID_LIMITS.env)
        .nullish(),
      resources: z
        .array(
          z.strictObject({
            container: z.string().nullish(),
            requests: ResourceList.nullish(),
            limits: ResourceList.nullish(),
          }),
        )
        .max(GRID_LIMITS.containers)
        .nullish(),
    }),
  )
  .max(GRID_LIMITS.overriders);
const CountOrPercent = z.union([
  z.number().int().min(0).max(100_000),
  z.string().regex(/^(100|[1-9]?\d)%$/, 'must be a count or a percentage such as "25%"'),
]);
const Rollout = z.strictObject({
  waves: z
    .array(z.strictObject({ name: z.string(), ...matcherShape }))
    .max(GRID_LIMITS.waves)
    .nullish(),
  waveSize: CountOrPercent.nullish(),
  maxUnavailable: CountOrPercent.nullish(),
  soakSeconds: z.number().int().min(0).max(86_400).nullish(),
  progressDeadlineSeconds: z.number().int().min(1).max(86_400).nullish(),
  paused: z.boolean().nullish(),
});
const WorkloadSpec = z.strictObject({
  gridUniqKey: z.string(),
  template: Json.nullish(),
  templatePool: z.record(z.string(), Json).nullish(),
  templates: StringMap.nullish(),
  defaultTemplateName: z.string().nullish(),
  autoDeleteUnusedTemplate: z.boolean().nullish(),
  overriders: Overriders.nullish(),
  rolloutStrategy: Rollout.nullish(),
});
const ServiceGridSpec = z.strictObject({ gridUniqKey: z.string(), template: Json });
const Metadata = z.looseObject({
  name: z.string(),
  namespace: z.string().nullish(),
  labels: StringMap.nullish(),
  annotations: StringMap.nullish(),
});
const Doc = z.looseObject({
  apiVersion: z.string(),
  kind: z.enum(GRID_KINDS),
  metadata: Metadata,
  spec: Json,
  status: z.unknown().optional(),
});

function pathOf(at: string, path: readonly PropertyKey[]): string {
  let out = at;
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out.length === 0 ? shortText(String(p), 64) : `.${shortText(String(p), 64)}`;
  }
  return out;
}

/** zod issues as violations; an unknown key is named by its own path. */
function zodViolations(at: string, issues: readonly z.core.$ZodIssue[], violations: FieldViolation[]): void {
  for (const issue of issues.slice(0, 20)) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys.slice(0, 5))
        violations.push({
          field: pathOf(at, [...(issue.path as PropertyKey[]), key]),
          description:
            'is not a field of this object (SuperEdge spec fields plus overriders, rolloutStrategy)',
        });
    } else violations.push({ field: pathOf(at, issue.path as PropertyKey[]), description: issue.message });
  }
}

function join(at: string, field: string): string {
  return at.length === 0 ? field : `${at}.${field}`;
}

/** `/template/spec/containers/0/image` → `template.spec.containers[0].image` */
function pointerToPath(pointer: string): (string | number)[] {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** The first key or string value that cannot be stored (NUL, lone surrogate), with its path. */
function badText(value: unknown, at: string, depth = 0): FieldViolation | undefined {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? { field: at, description: problem } : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > GRID_LIMITS.nesting)
    return { field: at, description: `nests deeper than ${GRID_LIMITS.nesting}` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = badText(value[i], `${at}[${i}]`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const keyProblem = textProblem(key);
    if (keyProblem) return { field: at, description: `a key ${keyProblem}` };
    const found = badText((value as Record<string, unknown>)[key], join(at, shortText(key, 64)), depth + 1);
    if (found) return found;
  }
  return undefined;
}

type ModelClass = new (data: never) => { validate(): void; toJSON(): unknown };

/** Validates an embedded spec with kubernetes-models; each schema error becomes a violation at its path. */
function validateModel(Model: ModelClass, data: unknown, at: string, violations: FieldViolation[]): void {
  try {
    new Model(data as never).validate();
  } catch (error) {
    const errors = (error as { errors?: { instancePath: string; message?: string; params?: unknown }[] })
      .errors;
    if (!Array.isArray(errors)) {
      violations.push({ field: at, description: shortText((error as Error).message, 200) });
      return;
    }
    for (const e of errors.slice(0, 10)) {
      violations.push({
        field: pathOf(at, pointerToPath(e.instancePath)),
        description: shortText(e.message ?? 'is invalid', 200),
      });
    }
  }
}

function normalizeMap(map: Record<string, string> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!map) return out;
  for (const key of Object.keys(map).sort()) out[key] = map[key] as string;
  return out;
}

function normalizeSelector(
  input: z.infer<typeof Selector> | null | undefined,
  at: string,
  violations: FieldViolation[],
): LabelSelector | undefined {
  if (!input) return undefined;
  const matchLabels = normalizeMap(input.matchLabels);
  for (const p of labelMapProblems(matchLabels))
    violations.push({ field: `${at}.matchLabels`, description: p });
  const matchExpressions = (input.matchExpressions ?? []).map((e, i) => {
    const where = `${at}.matchExpressions[${i}]`;
    for (const p of qualifiedNameProblems(e.key)) violations.push({ field: `${where}.key`, description: p });
    const values = [...new Set(e.values ?? [])].sort();
    if ((e.operator === 'In' || e.operator === 'NotIn') && values.length === 0)
      violations.push({ field: `${where}.values`, description: `${e.operator} needs at least one value` });
    if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && values.length > 0)
      violations.push({ field: `${where}.values`, description: `${e.operator} takes no values` });
    for (const v of values)
      for (const p of labelValueProblems(v)) violations.push({ field: `${where}.values`, description: p });
    return { key: e.key, operator: e.operator, values };
  });
  return { matchLabels, matchExpressions };
}

function normalizeMatcher(
  input: { unitSelector?: z.infer<typeof Selector> | null; units?: string[] | null },
  at: string,
  violations: FieldViolation[],
): UnitMatcher {
  const out: UnitMatcher = {};
  const selector = normalizeSelector(input.unitSelector, `${at}.unitSelector`, violations);
  if (selector) out.unitSelector = selector;
  if (input.units) {
    out.units = [...new Set(input.units)].sort();
    input.units.forEach((u, i) => {
      for (const p of dns1123LabelProblems(u))
        violations.push({ field: `${at}.units[${i}]`, description: p });
    });
  }
  if (!input.unitSelector && !input.units)
    violations.push({ field: at, description: 'needs unitSelector or units (which units it applies to)' });
  return out;
}

/** Container names of a workload spec (`template.spec.containers[].name`). */
function containerNames(spec: Record<string, unknown>): string[] {
  const pod = (spec.template as { spec?: { containers?: { name?: unknown }[] } } | undefined)?.spec;
  const containers = Array.isArray(pod?.containers) ? pod.containers : [];
  return containers.map((c) => (typeof c?.name === 'string' ? c.name : ''));
}

function checkWorkloadSpec(
  kind: 'DeploymentGrid' | 'StatefulSetGrid',
  spec: Record<string, unknown>,
  at: string,
  violations: FieldViolation[],
): void {
  // SuperEdge templates are full Deployment/StatefulSet specs; the selector is ours to set (the
  // child's selector always names grid and unit), so a template may leave it out
  const data = { ...spec, selector: spec.selector ?? { matchLabels: {} } };
  const before = violations.length;
  validateModel(kind === 'DeploymentGrid' ? DeploymentSpec : StatefulSetSpec, data, at, violations);
  if (violations.length > before) return;
  const names = containerNames(spec);
  if (names.length === 0)
    violations.push({
      field: `${at}.template.spec.containers`,
      description: 'must have at least one container',
    });
  if (names.length > GRID_LIMITS.containers)
    violations.push({
      field: `${at}.template.spec.containers`,
      description: `at most ${GRID_LIMITS.containers} containers, got ${names.length}`,
    });
  const seen = new Set<string>();
  names.forEach((name, i) => {
    for (const p of dns1123LabelProblems(name))
      violations.push({ field: `${at}.template.spec.containers[${i}].name`, description: p });
    if (seen.has(name))
      violations.push({
        field: `${at}.template.spec.containers[${i}].name`,
        description: `duplicate container "${name}"`,
      });
    seen.add(name);
  });
  const replicas = spec.replicas;
  if (typeof replicas === 'number' && (replicas < 0 || replicas > GRID_LIMITS.replicas))
    violations.push({
      field: `${at}.replicas`,
      description: `must be 0 … ${GRID_LIMITS.replicas} (per unit), got ${replicas}`,
    });
  const podLabels = (spec.template as { metadata?: { labels?: Record<string, string> } } | undefined)
    ?.metadata?.labels;
  for (const p of labelMapProblems(podLabels))
    violations.push({ field: `${at}.template.metadata.labels`, description: p });
}

function checkOverriders(
  input: z.infer<typeof Overriders>,
  containers: Set<string>,
  at: string,
  violations: FieldViolation[],
): Overrider[] {
  return input.map((o, i) => {
    const where = `${at}[${i}]`;
    const out: Overrider = { name: o.name ?? `overrider-${i}`, ...normalizeMatcher(o, where, violations) };
    const knownContainer = (c: string | null | undefined, field: string) => {
      if (c === null || c === undefined || c === '*') return;
      if (!containers.has(c))
        violations.push({
          field,
          description: `no template has a container "${shortText(c, 64)}" (containers: ${[...containers].join(', ')})`,
        });
    };
    if (o.replicas !== null && o.replicas !== undefined) out.replicas = o.replicas;
    if (o.images) {
      out.images = o.images.map((img, j) => {
        knownContainer(img.container, `${where}.images[${j}].container`);
        if (/\s/.test(img.image))
          violations.push({
            field: `${where}.images[${j}].image`,
            description: 'must not contain whitespace',
          });
        return { container: img.container, image: img.image };
      });
    }
    if (o.env) {
      out.env = o.env.map((e, j) => {
        knownContainer(e.container, `${where}.env[${j}].container`);
        if (e.name.includes('='))
          violations.push({ field: `${where}.env[${j}].name`, description: 'must not contain "="' });
        if (e.remove && e.value !== null && e.value !== undefined)
          violations.push({ field: `${where}.env[${j}]`, description: 'remove and value are exclusive' });
        return {
          ...(e.container ? { container: e.container } : {}),
          name: e.name,
          ...(e.remove ? { remove: true } : { value: e.value ?? '' }),
        };
      });
    }
    if (o.resources) {
      out.resources = o.resources.map((r, j) => {
        knownContainer(r.container, `${where}.resources[${j}].container`);
        const lists: { requests?: Record<string, string>; limits?: Record<string, string> } = {};
        for (const part of ['requests', 'limits'] as const) {
          const list = r[part];
          if (!list) continue;
          const out: Record<string, string> = {};
          for (const name of Object.keys(list).sort()) {
            const value = list[name] as string | number;
            for (const p of qualifiedNameProblems(name))
              violations.push({
                field: `${where}.resources[${j}].${part}`,
                description: `resource name: ${p}`,
              });
            const problem = quantityProblem(value);
            if (problem)
              violations.push({
                field: `${where}.resources[${j}].${part}.${shortText(name, 64)}`,
                description: problem,
              });
            out[name] = String(value);
          }
          lists[part] = out;
        }
        return { ...(r.container ? { container: r.container } : {}), ...lists };
      });
    }
    return out;
  });
}

function checkRollout(
  input: z.infer<typeof Rollout> | null | undefined,
  at: string,
  violations: FieldViolation[],
) {
  const waves = (input?.waves ?? []).map((w, i) => {
    const where = `${at}.waves[${i}]`;
    for (const p of dns1123LabelProblems(w.name)) violations.push({ field: `${where}.name`, description: p });
    return { name: w.name, ...normalizeMatcher(w, where, violations) };
  });
  const names = new Set<string>();
  waves.forEach((w, i) => {
    if (names.has(w.name))
      violations.push({ field: `${at}.waves[${i}].name`, description: `duplicate wave "${w.name}"` });
    names.add(w.name);
  });
  if (input?.waveSize === 0) violations.push({ field: `${at}.waveSize`, description: 'must be at least 1' });
  if (input?.maxUnavailable === 0 || input?.maxUnavailable === '0%')
    violations.push({
      field: `${at}.maxUnavailable`,
      description: 'must be at least 1 unit (0 would never update one)',
    });
  return {
    waves,
    waveSize: input?.waveSize ?? DEFAULT_ROLLOUT.waveSize,
    maxUnavailable: input?.maxUnavailable ?? DEFAULT_ROLLOUT.maxUnavailable,
    soakSeconds: input?.soakSeconds ?? DEFAULT_ROLLOUT.soakSeconds,
    progressDeadlineSeconds: input?.progressDeadlineSeconds ?? DEFAULT_ROLLOUT.progressDeadlineSeconds,
    paused: input?.paused ?? DEFAULT_ROLLOUT.paused,
  };
}

/**
 * Validates and normalises one grid given as a JS object; `at` prefixes every field path.
 * Throws ValidationError with every violation found; warnings (ignored fields) are pushed.
 */
export function parseGrid(raw: unknown, at = '', warnings: string[] = []): Grid {
  const violations: FieldViolation[] = [];
  const grid = readGrid(raw, at, violations, warnings);
  if (violations.length > 0 || !grid)
    throw new ValidationError(
      violations.length > 0 ? violations : [{ field: at || 'grid', description: 'is not a grid' }],
    );
  return grid;
}

function readGrid(
  raw: unknown,
  at: string,
  violations: FieldViolation[],
  warnings: string[],
): Grid | undefined {
  const bad = badText(raw, at);
  if (bad) {
    violations.push(bad);
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    violations.push({
      field: at || 'grid',
      description: 'expected a mapping with apiVersion, kind, metadata and spec',
    });
    return undefined;
  }
  const obj = raw as Record<string, unknown>;
  if (!GRID_KINDS.includes(obj.kind as GridKind)) {
    violations.push({
      field: join(at, 'kind'),
      description: `unsupported kind ${shortText(JSON.stringify(obj.kind) ?? 'undefined', 64)}; expected ${GRID_KINDS.join(', ')}`,
    });
    return undefined;
  }
  if (obj.apiVersion !== GRID_API_VERSION) {
    violations.push({
      field: join(at, 'apiVersion'),
      description: `expected ${GRID_API_VERSION}, got ${shortText(JSON.stringify(obj.apiVersion) ?? 'undefined', 64)}`,
    });
    return undefined;
  }
  const doc = Doc.safeParse(raw);
  if (!doc.success) {
    zodViolations(at, doc.error.issues, violations);
    return undefined;
  }
  const kind = doc.data.kind;
  const md = doc.data.metadata;
  const metaAt = join(at, 'metadata');
  const name = md.name;
  const nameProblems = dns1123LabelProblems(name);
  for (const p of nameProblems) violations.push({ field: `${metaAt}.name`, description: p });
  if (kind === 'ServiceGrid' && nameProblems.length === 0 && !/^[a-z]/.test(name))
    violations.push({
      field: `${metaAt}.name`,
      description: 'a ServiceGrid name must start with a letter (its Service name is a DNS-1035 label)',
    });
  const namespace = md.namespace ?? 'default';
  for (const p of dns1123LabelProblems(namespace))
    violations.push({ field: `${metaAt}.namespace`, description: p });
  const labels = normalizeMap(md.labels);
  for (const p of labelMapProblems(labels)) violations.push({ field: `${metaAt}.labels`, description: p });
  const annotations = normalizeMap(md.annotations);
  for (const p of annotationMapProblems(annotations))
    violations.push({ field: `${metaAt}.annotations`, description: p });
  const metadata = { name, namespace, labels, annotations };
  const where = `${kind} "${shortText(name, 64)}"${at ? ` (${at})` : ''}`;
  if (doc.data.status !== undefined)
    warnings.push(`${where}: status is ignored (the grid service computes it)`);

  const specAt = join(at, 'spec');
  if (kind === 'ServiceGrid') {
    const spec = ServiceGridSpec.safeParse(doc.data.spec);
    if (!spec.success) {
      zodViolations(specAt, spec.error.issues, violations);
      return undefined;
    }
    checkGroupName(spec.data.gridUniqKey, specAt, violations);
    validateModel(ServiceSpec, spec.data.template, `${specAt}.template`, violations);
    const selector = (spec.data.template as { selector?: Record<string, string> }).selector;
    for (const p of labelMapProblems(selector))
      violations.push({ field: `${specAt}.template.selector`, description: p });
    if (!selector || Object.keys(selector).length === 0)
      violations.push({
        field: `${specAt}.template.selector`,
        description: 'must select the pods to serve (endpoints come from it)',
      });
    if (violations.length > 0) return undefined;
    return {
      apiVersion: GRID_API_VERSION,
      kind,
      metadata,
      spec: { gridUniqKey: spec.data.gridUniqKey, template: spec.data.template },
    };
  }

  const parsed = WorkloadSpec.safeParse(doc.data.spec);
  if (!parsed.success) {
    zodViolations(specAt, parsed.error.issues, violations);
    return undefined;
  }
  const spec = parsed.data;
  checkGroupName(spec.gridUniqKey, specAt, violations);
  const pool = spec.templatePool ?? {};
  const poolNames = Object.keys(pool).sort();
  if (poolNames.length > GRID_LIMITS.templatePool)
    violations.push({
      field: `${specAt}.templatePool`,
      description: `at most ${GRID_LIMITS.templatePool} templates, got ${poolNames.length}`,
    });
  const templates = normalizeMap(spec.templates);
  if (Object.keys(templates).length > GRID_LIMITS.templates)
    violations.push({
      field: `${specAt}.templates`,
      description: `at most ${GRID_LIMITS.templates} entries, got ${Object.keys(templates).length}`,
    });
  const defaultTemplateName = spec.defaultTemplateName || DEFAULT_TEMPLATE_NAME;

  if (spec.template) checkWorkloadSpec(kind, spec.template, `${specAt}.template`, violations);
  for (const name of poolNames.slice(0, GRID_LIMITS.templatePool)) {
    for (const p of dns1123LabelProblems(name))
      violations.push({
        field: `${specAt}.templatePool`,
        description: `template name ${shortText(name, 64)}: ${p}`,
      });
    checkWorkloadSpec(
      kind,
      pool[name] as Record<string, unknown>,
      `${specAt}.templatePool.${shortText(name, 64)}`,
      violations,
    );
  }
  // SuperEdge: templates[unit] must name a pool entry; `default` always means spec.template
  for (const unit of Object.keys(templates)) {
    for (const p of dns1123LabelProblems(unit))
      violations.push({
        field: `${specAt}.templates`,
        description: `unit name ${shortText(unit, 64)}: ${p}`,
      });
    const t = templates[unit] as string;
    if (t !== DEFAULT_TEMPLATE_NAME && !Object.hasOwn(pool, t))
      violations.push({
        field: `${specAt}.templates.${shortText(unit, 64)}`,
        description: `names template "${shortText(t, 64)}", which templatePool does not have`,
      });
    if (t === DEFAULT_TEMPLATE_NAME && !spec.template)
      violations.push({
        field: `${specAt}.templates.${shortText(unit, 64)}`,
        description: 'names "default" (spec.template), which is not set',
      });
  }
  if (defaultTemplateName === DEFAULT_TEMPLATE_NAME) {
    if (!spec.template)
      violations.push({
        field: `${specAt}.template`,
        description: `is required while defaultTemplateName is "${DEFAULT_TEMPLATE_NAME}"`,
      });
  } else if (!Object.hasOwn(pool, defaultTemplateName)) {
    violations.push({
      field: `${specAt}.defaultTemplateName`,
      description: `names template "${shortText(defaultTemplateName, 64)}", which templatePool does not have`,
    });
  }
  const containers = new Set<string>();
  for (const t of [spec.template, ...poolNames.map((n) => pool[n])])
    if (t) for (const c of containerNames(t)) containers.add(c);
  const overriders = checkOverriders(spec.overriders ?? [], containers, `${specAt}.overriders`, violations);
  const rolloutStrategy = checkRollout(spec.rolloutStrategy, `${specAt}.rolloutStrategy`, violations);
  if (violations.length > 0) return undefined;

  const withServiceName = (t: Record<string, unknown>) => {
    if (kind !== 'StatefulSetGrid' || typeof t.serviceName === 'string') return t;
    return { ...t, serviceName: serviceName(name) };
  };
  if (
    kind === 'StatefulSetGrid' &&
    [spec.template, ...Object.values(pool)].some((t) => t && typeof t.serviceName !== 'string')
  )
    warnings.push(
      `${where}: a template without serviceName governs its pods with "${serviceName(name)}" (the ServiceGrid of the same name)`,
    );
  const templatePool: Record<string, Record<string, unknown>> = {};
  for (const n of poolNames) templatePool[n] = withServiceName(pool[n] as Record<string, unknown>);
  const common = {
    gridUniqKey: spec.gridUniqKey,
    ...(spec.template ? { template: withServiceName(spec.template) } : {}),
    templatePool,
    templates,
    defaultTemplateName,
    autoDeleteUnusedTemplate: spec.autoDeleteUnusedTemplate ?? false,
    overriders,
    rolloutStrategy,
  };
  // the embedded specs were validated against the Kubernetes schemas above
  if (kind === 'DeploymentGrid')
    return { apiVersion: GRID_API_VERSION, kind, metadata, spec: common as never };
  return { apiVersion: GRID_API_VERSION, kind, metadata, spec: common as never };
}

function checkGroupName(key: string, specAt: string, violations: FieldViolation[]): void {
  // Edgeplane: gridUniqKey names a NodeGroup (SuperEdge: a node label key, whose values are units)
  if (key.length === 0) {
    violations.push({
      field: `${specAt}.gridUniqKey`,
      description: 'must name the NodeGroup whose units get a copy (SuperEdge ignores a grid without one)',
    });
    return;
  }
  for (const p of dns1123LabelProblems(key))
    violations.push({ field: `${specAt}.gridUniqKey`, description: `NodeGroup name ${p}` });
}

/** Deepest nesting of flow collections ([ and {), a cheap over-estimate. */
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

/** Parses one or many grid documents; throws ValidationError naming `documents[i].…` paths. */
export function parseGridYaml(text: string): ParsedGrids {
  if (text.length > GRID_LIMITS.yamlChars)
    throw ValidationError.field(
      'yaml',
      `must be at most ${GRID_LIMITS.yamlChars} characters, got ${text.length}`,
    );
  const depth = flowNestingDepth(text);
  if (depth > GRID_LIMITS.nesting)
    throw ValidationError.field(
      'yaml',
      `must nest at most ${GRID_LIMITS.nesting} levels of [ and {, got ${depth}`,
    );
  let documents: ReturnType<typeof parseAllDocuments>;
  try {
    documents = parseAllDocuments(text, { uniqueKeys: true });
  } catch (error) {
    throw ValidationError.field('yaml', `could not be read: ${shortText((error as Error).message, 120)}`);
  }
  if (!Array.isArray(documents)) documents = [documents];
  if (documents.length > GRID_LIMITS.documents)
    throw ValidationError.field(
      'yaml',
      `must hold at most ${GRID_LIMITS.documents} documents, got ${documents.length}`,
    );
  const violations: FieldViolation[] = [];
  const warnings: string[] = [];
  const grids: ParsedGrids['grids'] = [];
  const seen = new Map<string, number>();
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
      // an alias bomb ("billion laughs") expands into a refusal, not into memory
      raw = doc.toJS({ maxAliasCount: GRID_LIMITS.aliases });
    } catch (error) {
      violations.push({
        field: at,
        description: `could not be read: ${shortText((error as Error).message, 120)}`,
      });
      return;
    }
    if (raw === null || raw === undefined) return; // an empty document (e.g. after a trailing ---)
    const before = violations.length;
    const grid = readGrid(raw, at, violations, warnings);
    if (!grid || violations.length > before) return;
    const key = `${grid.kind}/${grid.metadata.namespace}/${grid.metadata.name}`;
    const previous = seen.get(key);
    if (previous !== undefined) {
      violations.push({
        field: `${at}.metadata.name`,
        description: `${grid.kind} "${grid.metadata.name}" is also defined in documents[${previous}]`,
      });
      return;
    }
    seen.set(key, i);
    grids.push({ grid, document: i });
  });
  if (violations.length > 0) throw new ValidationError(violations);
  return { grids, warnings };
}
