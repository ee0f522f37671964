import * as grpc from '@grpc/grpc-js';
import { UpstreamError } from '../upstream/upstream.js';

/** A failure answered as a Kubernetes `Status` (metav1.Status) with its HTTP code. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function statusBody(code: number, reason: string, message: string, details?: Record<string, unknown>) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: code < 400 ? 'Success' : 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

export const notFound = (resource: string, name: string, group = '') =>
  new ApiError(404, 'NotFound', `${resource}${group ? `.${group}` : ''} "${name}" not found`, {
    name,
    group,
    kind: resource,
  });

export const badRequest = (message: string) => new ApiError(400, 'BadRequest', message);
export const unauthorized = (message = 'Unauthorized') => new ApiError(401, 'Unauthorized', message);
export const methodNotAllowed = (verb: string) =>
  new ApiError(
    405,
    'MethodNotAllowed',
    `the server does not allow this method on the requested resource (${verb})`,
  );
export const unsupportedMedia = (type: string) =>
  new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json is not supported; got ${type}`,
  );

/**
 * An owning service's gRPC error as the Status kube-apiserver would give for the same rule: the
 * owner's message is kept word for word (it names the field or the owner of a label).
 */
export function fromUpstream(
  error: UpstreamError,
  target: { resource: string; name?: string; group?: string },
): ApiError {
  const details = {
    ...(target.name ? { name: target.name } : {}),
    group: target.group ?? '',
    kind: target.resource,
    ...(error.violations.length
      ? {
          causes: error.violations.map((v) => ({
            reason: 'FieldValueInvalid',
            message: v.description,
            field: v.field,
          })),
        }
      : {}),
  };
  // the owner's message often is its field violations already ("set.x: value …"): not twice
  const listed = error.violations.map((v) => `${v.field}: ${v.description}`).join('; ');
  const message = !listed || error.details.includes(listed) ? error.details : `${error.details}: ${listed}`;
  switch (error.code) {
    case grpc.status.NOT_FOUND:
      return new ApiError(404, 'NotFound', message, details);
    case grpc.status.INVALID_ARGUMENT:
      return new ApiError(422, 'Invalid', message, details);
    case grpc.status.ALREADY_EXISTS:
      return new ApiError(409, 'AlreadyExists', message, details);
    case grpc.status.ABORTED:
      return new ApiError(409, 'Conflict', message, details);
    case grpc.status.FAILED_PRECONDITION:
      return new ApiError(409, 'Conflict', message, details);
    case grpc.status.PERMISSION_DENIED:
      return new ApiError(403, 'Forbidden', message, details);
    case grpc.status.UNAUTHENTICATED:
      return new ApiError(401, 'Unauthorized', message, details);
    case grpc.status.RESOURCE_EXHAUSTED:
      return new ApiError(429, 'TooManyRequests', message, details);
    case grpc.status.UNAVAILABLE:
    case grpc.status.DEADLINE_EXCEEDED:
      return new ApiError(503, 'ServiceUnavailable', message, details);
    default:
      return new ApiError(500, 'InternalError', message, details);
  }
}

export function asApiError(
  error: unknown,
  target: { resource: string; name?: string; group?: string },
): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof UpstreamError) return fromUpstream(error, target);
  return new ApiError(500, 'InternalError', `internal error: ${(error as Error).message}`);
}
