/**
 * JSON with object keys sorted: jsonb columns give objects back with their keys reordered, so
 * "did anything change" compares this, never `JSON.stringify` of a value read from PostgreSQL.
 */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

export const sameJson = (a: unknown, b: unknown): boolean => stableJson(a) === stableJson(b);
