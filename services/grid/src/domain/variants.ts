/**
 * Per-unit differences. Order of precedence, lowest first:
 * 1. SuperEdge's template choice: `templates[unit]` when the unit has an entry, else
 *    `defaultTemplateName`; `default` (or empty) means `spec.template`, any other name a
 *    `templatePool` entry (a name the pool lacks is an error for that unit, as in SuperEdge).
 * 2. Edgeplane's overriders, in declaration order, each where its unit matcher selects the unit
 *    (by unit labels + `edgeplane.io/unit=<name>`, or by name). A later overrider wins over an
 *    earlier one on the same field (replicas; a container's image; an env var; a resource).
 * 3. What the platform sets on every child (render.ts): labels, selector, template hash label
 *    and the unit's nodeSelector — never overridable, so a child cannot leave its unit.
 */
import { ValidationError } from '@edgeplane/es-kit';
import { DEFAULT_TEMPLATE_NAME } from './parse.js';
import { unitMatches } from './selectors.js';
import type { IDeploymentSpec, IStatefulSetSpec, Overrider, WorkloadGrid } from './types.js';

export interface UnitVariant {
  templateName: string;
  /** the unit's workload spec after overriders (a deep copy; replicas always set) */
  spec: IDeploymentSpec | IStatefulSetSpec;
  overriders: string[];
  replicas: number;
}

type Container = {
  name: string;
  image?: string;
  env?: { name: string; value?: string }[];
  resources?: Record<string, Record<string, string> | undefined>;
};

/** SuperEdge's choice of template name for a unit (step 1). */
export function templateNameFor(grid: WorkloadGrid, unit: string): string {
  const chosen = Object.hasOwn(grid.spec.templates, unit)
    ? grid.spec.templates[unit]
    : grid.spec.defaultTemplateName;
  return chosen || DEFAULT_TEMPLATE_NAME;
}

/** The unit's variant; throws ValidationError naming the field when the chosen template does not exist. */
export function unitVariant(
  grid: WorkloadGrid,
  unit: { name: string; labels: Readonly<Record<string, string>> },
): UnitVariant {
  const templateName = templateNameFor(grid, unit.name);
  const base =
    templateName === DEFAULT_TEMPLATE_NAME
      ? grid.spec.template
      : Object.hasOwn(grid.spec.templatePool, templateName)
        ? grid.spec.templatePool[templateName]
        : undefined;
  if (!base) {
    const field = Object.hasOwn(grid.spec.templates, unit.name)
      ? `spec.templates.${unit.name}`
      : 'spec.defaultTemplateName';
    throw ValidationError.field(field, `unit "${unit.name}": template "${templateName}" does not exist`);
  }
  const spec = structuredClone(base) as IDeploymentSpec;
  const applied: string[] = [];
  for (const o of grid.spec.overriders) {
    if (!unitMatches(o, unit)) continue;
    applyOverrider(spec, o);
    applied.push(o.name ?? '');
  }
  const replicas = spec.replicas ?? 1;
  spec.replicas = replicas;
  return { templateName, spec, overriders: applied, replicas };
}

function containersOf(spec: IDeploymentSpec, which: string | undefined): Container[] {
  const all = (spec.template?.spec?.containers ?? []) as Container[];
  if (which === undefined || which === '*') return all;
  return all.filter((c) => c.name === which);
}

export function applyOverrider(spec: IDeploymentSpec | IStatefulSetSpec, o: Overrider): void {
  const s = spec as IDeploymentSpec;
  if (o.replicas !== undefined) s.replicas = o.replicas;
  for (const img of o.images ?? []) for (const c of containersOf(s, img.container)) c.image = img.image;
  for (const e of o.env ?? []) {
    for (const c of containersOf(s, e.container)) {
      const env = (c.env ?? []).filter((v) => v.name !== e.name);
      if (!e.remove) {
        // replace in place when present (keeps the order a reader expects), else append
        const at = (c.env ?? []).findIndex((v) => v.name === e.name);
        const entry = { name: e.name, value: e.value ?? '' };
        if (at >= 0) env.splice(at, 0, entry);
        else env.push(entry);
      }
      c.env = env;
    }
  }
  for (const r of o.resources ?? []) {
    for (const c of containersOf(s, r.container)) {
      const resources = { ...(c.resources ?? {}) };
      for (const part of ['requests', 'limits'] as const) {
        const list = r[part];
        if (list) resources[part] = { ...(resources[part] ?? {}), ...(list as Record<string, string>) };
      }
      c.resources = resources;
    }
  }
}

/**
 * SuperEdge's `autoDeleteUnusedTemplate`: pool entries neither named in `templates` nor equal to
 * `defaultTemplateName` are unused. Listed whatever the flag says (for `grid describe`).
 */
export function unusedTemplates(grid: WorkloadGrid): string[] {
  const used = new Set([grid.spec.defaultTemplateName, ...Object.values(grid.spec.templates)]);
  return Object.keys(grid.spec.templatePool)
    .filter((name) => !used.has(name))
    .sort();
}

/** The grid with its unused pool entries removed when `autoDeleteUnusedTemplate` is set (else as is). */
export function pruneUnusedTemplates<G extends WorkloadGrid>(grid: G): G {
  if (!grid.spec.autoDeleteUnusedTemplate) return grid;
  const unused = new Set(unusedTemplates(grid));
  if (unused.size === 0) return grid;
  const templatePool = Object.fromEntries(
    Object.entries(grid.spec.templatePool).filter(([name]) => !unused.has(name)),
  );
  return { ...grid, spec: { ...grid.spec, templatePool } };
}
