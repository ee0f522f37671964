/**
 * Small validators for the agent's two inputs read from disk (agent.json and the desired-state
 * cache). The agent avoids zod on purpose: loading it costs ~10 MB of an agent that must stay
 * within 60 MB; these collect every problem with its path, as zod would.
 */
export class Problems {
  readonly list: string[] = [];

  add(path: string, message: string): void {
    this.list.push(`${path || '(file)'}: ${message}`);
  }

  get ok(): boolean {
    return this.list.length === 0;
  }
}

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function object(v: unknown, path: string, p: Problems): Json {
  if (v === undefined) return {};
  if (!isObject(v)) {
    p.add(path, 'must be an object');
    return {};
  }
  return v;
}

export function string(
  v: unknown,
  path: string,
  p: Problems,
  rule: { min?: number; max?: number; pattern?: RegExp; patternText?: string } = {},
): string {
  if (typeof v !== 'string') {
    p.add(path, 'must be a string');
    return '';
  }
  if (rule.min !== undefined && v.length < rule.min)
    p.add(path, rule.min === 1 ? 'is required' : `is shorter than ${rule.min}`);
  if (rule.max !== undefined && v.length > rule.max) p.add(path, `is longer than ${rule.max} characters`);
  if (rule.pattern && !rule.pattern.test(v)) p.add(path, rule.patternText ?? `must match ${rule.pattern}`);
  return v;
}

export function optionalString(v: unknown, path: string, p: Problems, fallback?: string): string | undefined {
  return v === undefined ? fallback : string(v, path, p);
}

export function integer(
  v: unknown,
  path: string,
  p: Problems,
  min: number,
  max: number,
  fallback?: number,
): number {
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    p.add(path, 'must be an integer');
    return fallback ?? 0;
  }
  if (v < min || v > max) p.add(path, `must be between ${min} and ${max}`);
  return v;
}

export function boolean(v: unknown, path: string, p: Problems): boolean {
  if (typeof v !== 'boolean') p.add(path, 'must be true or false');
  return v === true;
}

export function stringArray(
  v: unknown,
  path: string,
  p: Problems,
  maxItems: number,
  maxLength: number,
): string[] {
  if (!Array.isArray(v)) {
    p.add(path, 'must be a list');
    return [];
  }
  if (v.length > maxItems) p.add(path, `has more than ${maxItems} items`);
  return v.map((x, i) => string(x, `${path}.${i}`, p, { max: maxLength }));
}

export function oneOf<T extends string>(
  v: unknown,
  path: string,
  p: Problems,
  values: readonly T[],
  fallback: T,
): T {
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
    p.add(path, `must be one of ${values.join(', ')}`);
    return fallback;
  }
  return v as T;
}
