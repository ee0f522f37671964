import { badRequest } from './status.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const isObject = (v: unknown): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * RFC 7386 JSON merge patch (a dozen lines, written here: the npm packages for it are small and
 * unmaintained; the RFC's appendix is the test).
 */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const out: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k] ?? null, v);
  }
  return out;
}

/**
 * The subset of strategic merge patch the kinds served here need. None of their lists carries a
 * merge key in Kubernetes (Node.spec.taints is replaced whole), so a strategic patch is a merge
 * patch once its directives are read: `$patch: replace|delete` on a map, `$setElementOrder/*` and
 * `$retainKeys` (ordering hints, ignored). Other `$` directives are refused rather than misread.
 */
export function strategicMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const directive = patch['$patch'];
  if (directive === 'delete') return null;
  const base: Record<string, Json> = directive === 'replace' ? {} : isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$')) throw badRequest(`strategic merge patch directive ${k} is not supported`);
    if (v === null) delete base[k];
    else if (isObject(v) && v['$patch'] === 'delete') delete base[k];
    else base[k] = strategicMergePatch(base[k] ?? null, v);
  }
  return base;
}
