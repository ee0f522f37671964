import { preview, PREVIEW_CHARS } from './preview.js';
import { labelValueProblems, qualifiedNameProblems } from './syntax.js';

export { preview, shortText } from './preview.js';

/**
 * Size limits as Kubernetes has them (apimachinery validation), plus Edgeplane's own bounds for
 * free text, and a short preview for echoing user input in error messages.
 */
export const LIMITS = Object.freeze({
  /** DNS-1123 label: unit and group names, label-key name parts */
  dns1123Label: 63,
  /** DNS-1123 subdomain: node names, qualified-name prefixes */
  dns1123Subdomain: 253,
  labelValue: 63,
  /** total size of a node's annotations (keys + values), as Kubernetes' TotalAnnotationSizeLimitB */
  annotationsTotalBytes: 256 * 1024,
  /** labels (or taints, cordons …) a single request may carry */
  mapEntries: 256,
  /** free text an operator types (reasons, descriptions, messages) */
  freeText: 1024,
  /** characters of a user value an error message may quote */
  preview: PREVIEW_CHARS,
});

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why text cannot be stored or sent on (PostgreSQL refuses NUL; a lone surrogate is no UTF-8),
 * or undefined. For text that did not come through the gRPC input guard, e.g. parsed YAML.
 */
export function textProblem(value: string): string | undefined {
  const nul = value.indexOf('\0');
  if (nul >= 0) return `must not contain a NUL character (at offset ${nul})`;
  if (LONE_SURROGATE.test(value)) return 'must be valid UTF-8 (contains a lone surrogate)';
  return undefined;
}

/** UTF-8 byte length of a string (what Kubernetes counts for annotations). */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Own entries of a string map from any input (null-prototype safe; no inherited keys). */
export function ownEntries(map: Readonly<Record<string, string>> | null | undefined): [string, string][] {
  if (!map) return [];
  return Object.keys(map).map((k) => [k, map[k] as string]);
}

/** Whether `key` is one of the map's own keys (`constructor`, `__proto__` are keys like any other). */
export function hasKey(map: Readonly<Record<string, unknown>>, key: string): boolean {
  return Object.hasOwn(map, key);
}

/** The value under an own key, never an inherited property such as `constructor`. */
export function ownValue<V>(map: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/** An empty string map without a prototype, safe for any user key. */
export function emptyStringMap(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

/**
 * Label map problems: every key a qualified name, every value a label value, at most
 * LIMITS.mapEntries entries. Each problem names the key (shortened), never the whole value.
 */
export function labelMapProblems(map: Readonly<Record<string, string>> | null | undefined): string[] {
  const entries = ownEntries(map);
  const problems: string[] = [];
  if (entries.length > LIMITS.mapEntries)
    problems.push(`at most ${LIMITS.mapEntries} labels, got ${entries.length}`);
  for (const [key, value] of entries.slice(0, LIMITS.mapEntries)) {
    for (const p of qualifiedNameProblems(key)) problems.push(`key ${preview(key)}: ${p}`);
    for (const p of labelValueProblems(value)) problems.push(`value of ${preview(key)}: ${p}`);
  }
  return problems;
}

/** Annotation map problems: keys qualified names, total of keys + values ≤ 256 KiB. */
export function annotationMapProblems(map: Readonly<Record<string, string>> | null | undefined): string[] {
  const entries = ownEntries(map);
  const problems: string[] = [];
  let total = 0;
  for (const [key, value] of entries) {
    total += utf8Length(key) + utf8Length(value);
    for (const p of qualifiedNameProblems(key)) problems.push(`key ${preview(key)}: ${p}`);
  }
  if (total > LIMITS.annotationsTotalBytes) {
    problems.push(`annotations must be at most ${LIMITS.annotationsTotalBytes} bytes in total, got ${total}`);
  }
  return problems;
}

/** Free text (reasons, descriptions): at most `max` characters. */
export function freeTextProblems(value: string, max: number = LIMITS.freeText): string[] {
  return value.length > max ? [`must be at most ${max} characters, got ${value.length}`] : [];
}
