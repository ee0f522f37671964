/**
 * Kubernetes name and label syntax. Unit and group names become node LABEL KEYS (`<unit>`,
 * `<group>`) and unit names label VALUES (`<group>=<unit>`), so both must be DNS-1123 labels.
 */
import {
  dns1123LabelProblems,
  dns1123SubdomainProblems,
  labelValueProblems,
  preview,
  qualifiedNameProblems,
} from '@edgeplane/k8s';
// The rules themselves live in libs/k8s (one implementation for every service and the CLI);
// nodepool reports the first problem as one sentence naming the value.
const sentence = (value: string, problems: string[]) =>
  problems.length ? `${preview(value)} ${problems.join('; ')}` : undefined;

export function dns1123LabelProblem(value: string): string | undefined {
  return sentence(value, dns1123LabelProblems(value));
}

export function dns1123SubdomainProblem(value: string): string | undefined {
  return sentence(value, dns1123SubdomainProblems(value));
}

/** Label/annotation key: optional DNS subdomain prefix and '/', then a qualified name ≤ 63. */
export function labelKeyProblem(key: string): string | undefined {
  const problems = qualifiedNameProblems(key);
  return problems.length ? `key ${preview(key)}: ${problems.join('; ')}` : undefined;
}

export function labelValueProblem(value: string): string | undefined {
  const problems = labelValueProblems(value);
  return problems.length ? problems.join('; ') : undefined;
}

/** Stable, insertion-order-independent copy of a string map (keys sorted). */
export function sortedMap(map: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(map ?? {}).sort()) out[key] = (map ?? {})[key] as string;
  return out;
}

export function sortedUnique(values: readonly string[] | undefined): string[] {
  return [...new Set(values ?? [])].sort();
}

/** Structural equality for JSON-like values (event data, specs); key order does not matter. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ka = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const kb = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => jsonEqual(ao[k], bo[k]));
}
