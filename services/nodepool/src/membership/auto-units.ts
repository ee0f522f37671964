import { createHash } from 'node:crypto';
import { dns1123LabelProblem } from '../shared/k8s-names.js';

/**
 * Deterministic name of the unit that a NodeGroup's `autoFindNodeKeys` creates for one tuple of
 * node label values: `<group>-<v1>-<v2>…` with the values in sorted-key order. When a value is
 * not DNS-1123-safe (upper case, '_', '.', '/') or the name would pass 63 characters, the safe
 * part is kept (shortened) and an 8-hex sha1 of the raw values is appended, so `A` and `a` never
 * share a unit. (SuperEdge used the bare values and a sha1 only for '/', which collides across
 * groups and with hand-made units.)
 */
export function autoUnitName(
  group: string,
  keys: readonly string[],
  labels: Readonly<Record<string, string>>,
): string {
  const raw = [...keys].sort().map((k) => (Object.hasOwn(labels, k) ? labels[k] : undefined) ?? '');
  const joined = raw.join('-');
  const plain = `${group}-${joined}`;
  if (!dns1123LabelProblem(plain) && raw.every((v) => v.length > 0)) return plain;
  const hash = createHash('sha1')
    .update(`${group}\n${raw.join('\n')}`)
    .digest('hex')
    .slice(0, 8);
  const safe = joined
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  const room = 63 - group.length - 1 - hash.length - 1;
  const middle = safe.slice(0, Math.max(0, room)).replace(/-+$/, '');
  return middle ? `${group}-${middle}-${hash}` : `${group}-${hash}`;
}

export function hasAllKeys(labels: Readonly<Record<string, string>>, keys: readonly string[]): boolean {
  return keys.length > 0 && keys.every((k) => Object.prototype.hasOwnProperty.call(labels, k));
}
