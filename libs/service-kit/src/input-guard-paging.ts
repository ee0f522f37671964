import { createHash } from 'node:crypto';
import { ValidationError } from '@edgeplane/es-kit';

/**
 * Paging of every list RPC: `page_size` (0 → 100, at most 1000) and an opaque `page_token` that
 * carries the keyset position (the sort key of the last item returned) and a fingerprint of the
 * request's filters, so a token is only valid for the query that made it. A token that does not
 * decode, or was made for other filters, is INVALID_ARGUMENT naming `pageToken`.
 */
export const PAGE_SIZE = Object.freeze({ default: 100, max: 1000 });

export type PageKey = readonly (string | number)[];

export interface PageRequest {
  /** rows to return */
  limit: number;
  /** keyset position: return rows strictly after this sort key */
  after?: PageKey;
  /** filters fingerprint (goes into the next token) */
  scope: string;
}

const TOKEN_MAX = 2048;

function fingerprint(filters: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(filters ?? null))
    .digest('base64url')
    .slice(0, 16);
}

/** Reads page_size/page_token of a request; `filters` are what the token must have been made for. */
export function pageRequest(
  input: { pageSize?: number | string | null; pageToken?: string | null },
  filters: unknown,
): PageRequest {
  const scope = fingerprint(filters);
  const size = Number(input.pageSize ?? 0);
  if (!Number.isInteger(size) || size < 0) {
    throw ValidationError.field('pageSize', `must be 0 (default ${PAGE_SIZE.default}) or a positive number`);
  }
  if (size > PAGE_SIZE.max) {
    throw ValidationError.field('pageSize', `must be at most ${PAGE_SIZE.max}, got ${size}`);
  }
  const limit = size === 0 ? PAGE_SIZE.default : size;
  const token = input.pageToken ?? '';
  if (token === '') return { limit, scope };
  const invalid = () =>
    ValidationError.field(
      'pageToken',
      'is not a page token of this list (pass next_page_token as it was returned)',
    );
  if (token.length > TOKEN_MAX || !/^[A-Za-z0-9_-]+$/.test(token)) throw invalid();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const d = decoded as { s?: unknown; k?: unknown };
  if (
    typeof decoded !== 'object' ||
    decoded === null ||
    d.s !== scope ||
    !Array.isArray(d.k) ||
    d.k.length === 0 ||
    !d.k.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))
  ) {
    throw ValidationError.field(
      'pageToken',
      d.s !== undefined && d.s !== scope
        ? 'was made for a list with other filters; start again without a token'
        : 'is not a page token of this list (pass next_page_token as it was returned)',
    );
  }
  return { limit, after: d.k as PageKey, scope };
}

/**
 * One page out of rows fetched with `limit + 1` (the extra row says whether there is more):
 * the items and the token for the next page ('' on the last).
 */
export function pageOf<T>(
  rows: readonly T[],
  page: PageRequest,
  keyOf: (row: T) => PageKey,
): { items: T[]; nextPageToken: string } {
  if (rows.length <= page.limit) return { items: [...rows], nextPageToken: '' };
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1] as T;
  const nextPageToken = Buffer.from(JSON.stringify({ s: page.scope, k: keyOf(last) }), 'utf8').toString(
    'base64url',
  );
  return { items, nextPageToken };
}

/** In-memory keyset paging (for lists assembled in memory): rows sorted by key, after the token's key. */
export function pageInMemory<T>(
  rows: readonly T[],
  page: PageRequest,
  keyOf: (row: T) => PageKey,
): { items: T[]; nextPageToken: string } {
  const sorted = [...rows].sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
  const after = page.after;
  const rest = after ? sorted.filter((r) => compareKeys(keyOf(r), after) > 0) : sorted;
  return pageOf(rest.slice(0, page.limit + 1), page, keyOf);
}

export function compareKeys(a: PageKey, b: PageKey): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}
