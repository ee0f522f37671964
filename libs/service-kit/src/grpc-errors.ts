import { status } from '@grpc/grpc-js';
import { Catch, type ArgumentsHost, type RpcExceptionFilter } from '@nestjs/common';
import { DomainError, ValidationError } from '@edgeplane/es-kit';
import { transientDependency } from '@edgeplane/messaging';
import { statusDetailsMetadata, type FieldViolation } from '@edgeplane/proto';
import { throwError, type Observable } from 'rxjs';
import { ZodError } from 'zod';

const KIND_TO_CODE: Record<DomainError['kind'], status> = {
  validation: status.INVALID_ARGUMENT,
  not_found: status.NOT_FOUND,
  illegal_state: status.FAILED_PRECONDITION,
  already_exists: status.ALREADY_EXISTS,
  version_conflict: status.ABORTED,
  unauthenticated: status.UNAUTHENTICATED,
};

export interface GrpcServiceError extends Error {
  code: status;
  details: string;
  metadata: ReturnType<typeof statusDetailsMetadata>;
}

/**
 * Bounds of what an error sends back: the message travels in an HTTP/2 trailer (a 200 KB one
 * drops the connection), and must never echo a whole input anyway.
 */
export const ERROR_LIMITS = Object.freeze({ message: 1024, field: 256, description: 512, violations: 20 });

/** At most `max` characters, then "…" (cut on a code-point boundary). */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}…`;
}

/**
 * Every quoted value in a message ("…", as deciders quote what they were sent) shortened to 64
 * characters: the net under every message that quotes an input, whatever its author did.
 */
export function shortenQuoted(text: string): string {
  return text.replace(/"([^"]{65,})"/g, (_m, inner: string) => {
    let cut = 64;
    const code = inner.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    return `"${inner.slice(0, cut)}…" (${inner.length} characters)`;
  });
}

/** Turns a DomainError into the error grpc-js sends: status code, message and rich details. */
export function toGrpcError(error: DomainError): GrpcServiceError {
  const code = KIND_TO_CODE[error.kind];
  const violations: FieldViolation[] = (error instanceof ValidationError ? error.violations : [])
    .slice(0, ERROR_LIMITS.violations)
    .map((v) => ({
      field: clip(v.field, ERROR_LIMITS.field),
      description: clip(shortenQuoted(v.description), ERROR_LIMITS.description),
    }));
  const message = clip(shortenQuoted(error.message), ERROR_LIMITS.message);
  const metadata = statusDetailsMetadata(code, message, violations);
  return Object.assign(new Error(message), { code, details: message, metadata });
}

/** Turns a zod failure on request input into a ValidationError naming each field. */
export function zodToValidationError(error: ZodError, prefix = ''): ValidationError {
  return new ValidationError(
    error.issues.map((i) => ({ field: prefix + (i.path.join('.') || '(request)'), description: i.message })),
  );
}

/** Validates gRPC input with zod; a type annotation is not validation. */
export function parseRequest<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: ZodError } },
  input: unknown,
): T {
  const result = schema.safeParse(input);
  if (!result.success) throw zodToValidationError(result.error);
  return result.data;
}

/**
 * Maps whatever a handler throws to a gRPC status: domain errors by kind (with field violations
 * in grpc-status-details-bin), zod errors as INVALID_ARGUMENT, transient infrastructure failures
 * (`isTransientError`: database refused or lost, bus timeout) as UNAVAILABLE naming only the
 * dependency (never the SQL, the driver's text or a connection string), errors that already carry a
 * gRPC code unchanged, anything else as INTERNAL with its message (never Nest's "Internal server
 * error").
 */
@Catch()
export class GrpcErrorFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => toServiceError(exception));
  }
}

export function toServiceError(exception: unknown): unknown {
  if (exception instanceof DomainError) return toGrpcError(exception);
  if (exception instanceof ZodError) return toGrpcError(zodToValidationError(exception));
  const dependency = transientDependency(exception);
  if (dependency) {
    const message = `${dependency} unavailable, try again`;
    return { code: status.UNAVAILABLE, details: message, message };
  }
  const e = exception as { code?: unknown; message?: string; details?: unknown };
  if (typeof e?.code === 'number' && e.code >= 0 && e.code <= 16) {
    if (typeof e.details === 'string' && e.details.length > ERROR_LIMITS.message)
      e.details = clip(e.details, ERROR_LIMITS.message);
    return exception;
  }
  const message = clip(e?.message ?? String(exception), ERROR_LIMITS.message);
  return { code: status.INTERNAL, details: message, message };
}
