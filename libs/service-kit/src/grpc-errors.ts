import { status } from '@grpc/grpc-js';
import { Catch, type ArgumentsHost, type RpcExceptionFilter } from '@nestjs/common';
import { DomainError, ValidationError, toGrpcError } from '@edgeplane/es-kit';
import { throwError, type Observable } from 'rxjs';
import { ZodError } from 'zod';

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
