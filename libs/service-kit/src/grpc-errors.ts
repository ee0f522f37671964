import { status } from '@grpc/grpc-js';
import { Catch, type ArgumentsHost, type RpcExceptionFilter } from '@nestjs/common';
import { DomainError, ValidationError } from '@edgeplane/es-kit';
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

/** Turns a DomainError into the error grpc-js sends: status code, message and rich details. */
export function toGrpcError(error: DomainError): GrpcServiceError {
  const code = KIND_TO_CODE[error.kind];
  const violations: FieldViolation[] = error instanceof ValidationError ? error.violations : [];
  const metadata = statusDetailsMetadata(code, error.message, violations);
  return Object.assign(new Error(error.message), { code, details: error.message, metadata });
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
 * in grpc-status-details-bin), zod errors as INVALID_ARGUMENT, errors that already carry a gRPC
 * code unchanged, anything else as INTERNAL with its message (never Nest's "Internal server error").
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
  const e = exception as { code?: unknown; message?: string };
  if (typeof e?.code === 'number' && e.code >= 0 && e.code <= 16) return exception;
  return {
    code: status.INTERNAL,
    details: e?.message ?? String(exception),
    message: e?.message ?? String(exception),
  };
}
