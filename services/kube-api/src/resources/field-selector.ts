import { badRequest } from '../http/status.js';

/** One term of a field selector: `field=value`, `field==value` or `field!=value`. */
export interface FieldTerm {
  field: string;
  value: string;
  equal: boolean;
}

const MAX_TERMS = 16;

/**
 * A field selector as kube-apiserver reads it, limited to the fields a resource supports
 * (`supported`); any other field is 400 `field label not supported: <field>`, as kubectl users see
 * from a real cluster.
 */
export function parseFieldSelector(selector: string, supported: readonly string[]): FieldTerm[] {
  const terms = selector
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (terms.length > MAX_TERMS) throw badRequest(`a field selector has at most ${MAX_TERMS} terms`);
  return terms.map((term) => {
    const ne = term.indexOf('!=');
    const eq = term.indexOf('=');
    if (eq <= 0 && ne <= 0)
      throw badRequest(`invalid field selector term ${JSON.stringify(term.slice(0, 64))}`);
    const equal = ne < 0 || (eq >= 0 && eq < ne);
    const at = equal ? eq : ne;
    const field = term.slice(0, at).trim();
    const value = term.slice(at + (equal ? (term[at + 1] === '=' ? 2 : 1) : 2)).trim();
    if (!supported.includes(field)) throw badRequest(`field label not supported: ${field.slice(0, 64)}`);
    return { field, value, equal };
  });
}

/** Whether `fields` (field path → value) satisfy every term. */
export function fieldsMatch(terms: readonly FieldTerm[], fields: Record<string, string>): boolean {
  return terms.every((t) => (fields[t.field] === t.value) === t.equal);
}

/** The value an equality term asks for `field` (to pass to the owner as a filter), if any. */
export function equalityValue(terms: readonly FieldTerm[], field: string): string | undefined {
  return terms.find((t) => t.field === field && t.equal)?.value;
}
