/** Characters of a user value an error message may quote. */
export const PREVIEW_CHARS = 64;

/** A value for an error message: at most `max` characters, then "…" (never the whole input). */
export function preview(value: unknown, max: number = PREVIEW_CHARS): string {
  const text = typeof value === 'string' ? value : String(value);
  if (text.length <= max) return JSON.stringify(text);
  // cut on a code-point boundary so the preview itself is well-formed
  let cut = max;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${JSON.stringify(text.slice(0, cut))}… (${text.length} characters)`;
}

/** Like `preview` for text that is already quoted or formatted (no quotes added). */
export function shortText(text: string, max: number = PREVIEW_CHARS): string {
  if (text.length <= max) return text;
  let cut = max;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}… (${text.length} characters)`;
}
