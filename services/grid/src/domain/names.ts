import { createHash } from 'node:crypto';

/**
 * Child names. `<grid>-<unit>` may be longer than Kubernetes lets a name be where it ends up:
 * - Deployment children: 63 (a DNS-1123 label, so the name also fits label values and hostnames);
 * - StatefulSet children: 52, because the StatefulSet controller labels every pod with
 *   `controller-revision-hash=<name>-<10-character hash>` (a 63-character label value; the
 *   well-known "StatefulSet names longer than 52 characters" failure, kubernetes#64023).
 * Past the limit the name is shortened like Kubernetes controllers do (Knative's kmeta.ChildName,
 * the Job controller): the longest prefix that fits, then `-` and 8 hex characters of the SHA-256
 * of the full `<grid>-<unit>`, so two long names that share their beginning stay distinct and the
 * same input always gives the same name. A trailing `-` or `.` of the cut prefix is dropped.
 */
export const CHILD_NAME_LIMIT = { Deployment: 63, StatefulSet: 52 } as const;
const HASH_CHARS = 8;

export function shortHash(text: string, chars = HASH_CHARS): string {
  return createHash('sha256').update(text).digest('hex').slice(0, chars);
}

export function shortenName(full: string, limit: number): string {
  if (full.length <= limit) return full;
  const prefix = full.slice(0, limit - HASH_CHARS - 1).replace(/[-.]+$/, '');
  return `${prefix}-${shortHash(full)}`;
}

export function childName(grid: string, unit: string, kind: 'Deployment' | 'StatefulSet'): string {
  return shortenName(`${grid}-${unit}`, CHILD_NAME_LIMIT[kind]);
}

/** ServiceGrid → the one Service `<grid>-svc` (SuperEdge); a Service name is a DNS-1035 label ≤ 63. */
export function serviceName(grid: string): string {
  return shortenName(`${grid}-svc`, 63);
}

/** Stable JSON (sorted keys) for hashing. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** A content hash of a template (10 hex characters), like `superedge.io/template-hash-key`. */
export function templateHash(value: unknown): string {
  return shortHash(canonicalJson(value), 10);
}
