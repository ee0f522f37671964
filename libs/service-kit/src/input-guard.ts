import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ValidationError, type FieldViolation } from '@edgeplane/es-kit';
import { preview } from '@edgeplane/k8s';
import { isUndecodableRequest, UNDECODABLE_REQUEST } from '@edgeplane/proto';
import type { Observable } from 'rxjs';

/**
 * Bounds every gRPC request before any handler work: no NUL characters, no invalid UTF-8 (bad
 * bytes decode to U+FFFD; lone surrogates), every string, repeated field and map bounded, and the
 * whole request bounded, so nothing oversized reaches a decider, the database or an event. The
 * rules of each field (Kubernetes names, labels …) stay with the service; this is the floor
 * under all of them. Violations name the field (camelCase path, as handlers see it) and never
 * echo the value.
 */
export interface InputLimits {
  /** all strings (UTF-8 bytes) + bytes fields of one request */
  maxRequestBytes: number;
  /** characters of one string unless `fieldMaxChars` names it */
  maxStringChars: number;
  /** characters of a map key */
  maxKeyChars: number;
  /** items of one repeated field */
  maxRepeated: number;
  /** entries of one map */
  maxMapEntries: number;
  /** message nesting */
  maxDepth: number;
  /**
   * Larger (or smaller) bounds by field name: applies to a string whose path has a segment of
   * that name (e.g. `annotations` covers every value of an annotations map).
   */
  fieldMaxChars: Readonly<Record<string, number>>;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = Object.freeze({
  maxRequestBytes: 512 * 1024,
  maxStringChars: 4096,
  maxKeyChars: 512,
  maxRepeated: 1000,
  maxMapEntries: 1000,
  maxDepth: 32,
  fieldMaxChars: Object.freeze({
    yaml: 256 * 1024,
    annotations: 256 * 1024,
    preInstallScript: 64 * 1024,
    postInstallScript: 64 * 1024,
    certificatePem: 16 * 1024,
    csrPem: 16 * 1024,
  }),
});

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why one string is refused (undefined = fine); never quotes it. */
export function stringProblem(value: string, maxChars: number): string | undefined {
  if (value.length > maxChars) return `must be at most ${maxChars} characters, got ${value.length}`;
  const nul = value.indexOf('\0');
  if (nul >= 0) return `must not contain a NUL character (at offset ${nul})`;
  const bad = value.indexOf('\uFFFD');
  if (bad >= 0) return `must be valid UTF-8 (invalid bytes at offset ${bad})`;
  if (LONE_SURROGATE.test(value)) return 'must be valid UTF-8 (contains a lone surrogate)';
  return undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

const MAX_VIOLATIONS = 20;

/** The violations of one decoded request (empty = within the limits). Pure. */
export function inputProblems(
  request: unknown,
  limits: InputLimits = DEFAULT_INPUT_LIMITS,
): FieldViolation[] {
  const violations: FieldViolation[] = [];
  let bytes = 0;
  const fieldLimit = (segments: readonly string[]): number => {
    let limit = limits.maxStringChars;
    for (const s of segments) {
      const l = limits.fieldMaxChars[s];
      if (l !== undefined && Object.hasOwn(limits.fieldMaxChars, s)) limit = l;
    }
    return limit;
  };
  const pathOf = (segments: readonly string[]) => segments.join('.') || '(request)';
  const add = (segments: readonly string[], description: string) => {
    if (violations.length < MAX_VIOLATIONS) violations.push({ field: pathOf(segments), description });
  };

  const walk = (value: unknown, segments: string[], depth: number): void => {
    if (violations.length >= MAX_VIOLATIONS) return;
    if (typeof value === 'string') {
      bytes += Buffer.byteLength(value, 'utf8');
      const p = stringProblem(value, fieldLimit(segments));
      if (p) add(segments, p);
      return;
    }
    if (Buffer.isBuffer(value) || value instanceof Uint8Array) {
      bytes += value.byteLength;
      return;
    }
    if (typeof value !== 'object' || value === null) {
      bytes += 8;
      return;
    }
    if (depth > limits.maxDepth) {
      add(segments, `nested deeper than ${limits.maxDepth} levels`);
      return;
    }
    if (Array.isArray(value)) {
      if (value.length > limits.maxRepeated) {
        add(segments, `must have at most ${limits.maxRepeated} items, got ${value.length}`);
        return;
      }
      value.forEach((item, i) => {
        const last = segments.length - 1;
        const indexed = [...segments.slice(0, last), `${segments[last] ?? ''}[${i}]`];
        walk(item, indexed, depth + 1);
      });
      return;
    }
    if (!isPlainObject(value)) return;
    const keys = Object.keys(value);
    if (keys.length > limits.maxMapEntries) {
      add(segments, `must have at most ${limits.maxMapEntries} entries, got ${keys.length}`);
      return;
    }
    for (const key of keys) {
      bytes += Buffer.byteLength(key, 'utf8');
      const keyProblem = stringProblem(key, limits.maxKeyChars);
      if (keyProblem) {
        add(segments, `key ${preview(key, 32)} ${keyProblem}`);
        continue;
      }
      walk(value[key], [...segments, key], depth + 1);
    }
  };
  walk(request, [], 0);
  if (bytes > limits.maxRequestBytes && violations.length < MAX_VIOLATIONS) {
    violations.push({
      field: '(request)',
      description: `must be at most ${limits.maxRequestBytes} bytes in total, got about ${bytes}`,
    });
  }
  return violations;
}

/** Refuses, as INVALID_ARGUMENT naming the field, any unary gRPC request outside the limits. */
@Injectable()
export class InputGuardInterceptor implements NestInterceptor {
  constructor(private readonly limits: InputLimits = DEFAULT_INPUT_LIMITS) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() === 'rpc') {
      const request = ctx.getArgByIndex(0) as unknown;
      if (isUndecodableRequest(request)) {
        throw ValidationError.field('(request)', request[UNDECODABLE_REQUEST]);
      }
      // streaming calls hand the call object itself, not a decoded message: nothing to walk here
      if (isPlainObject(request)) {
        const violations = inputProblems(request, this.limits);
        if (violations.length > 0) throw new ValidationError(violations);
      }
    }
    return next.handle();
  }
}
