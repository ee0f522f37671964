import { z } from 'zod';

/**
 * The opaque resume position of a Subscribe: per source stream (logical name), the sequence of
 * the last event delivered (or, at the start, the last one before it); `since` for sources with
 * no position yet (a subscription started at a time). base64url of JSON, versioned.
 */
export interface Cursor {
  positions: Record<string, number>;
  since?: string;
}

const CursorSchema = z.object({
  v: z.literal(1),
  p: z.record(z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/), z.number().int().nonnegative()),
  s: z.iso.datetime({ offset: true }).optional(),
});

export class BadCursorError extends Error {}

export function encodeCursor(cursor: Cursor): string {
  const body = { v: 1, p: cursor.positions, ...(cursor.since ? { s: cursor.since } : {}) };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

export function decodeCursor(text: string): Cursor {
  if (text.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(text))
    throw new BadCursorError('is not a cursor of this API');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new BadCursorError('is not a cursor of this API');
  }
  const result = CursorSchema.safeParse(parsed);
  if (!result.success) throw new BadCursorError('is not a cursor of this API');
  return { positions: result.data.p, ...(result.data.s ? { since: result.data.s } : {}) };
}
