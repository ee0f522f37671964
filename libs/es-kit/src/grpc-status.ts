import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { DomainError, type FieldViolation } from './errors.js';

const KIND_TO_CODE: Record<DomainError['kind'], GrpcStatus> = {
  validation: GrpcStatus.INVALID_ARGUMENT,
  not_found: GrpcStatus.NOT_FOUND,
  illegal_state: GrpcStatus.FAILED_PRECONDITION,
  already_exists: GrpcStatus.ALREADY_EXISTS,
  version_conflict: GrpcStatus.ABORTED,
  permission_denied: GrpcStatus.PERMISSION_DENIED,
  unauthenticated: GrpcStatus.UNAUTHENTICATED,
};

// google.rpc.Status + google.rpc.BadRequest, the standard rich-error payload carried in the
// `grpc-status-details-bin` trailer, so any gRPC client can read field violations.
const root = protobuf.Root.fromJSON({
  nested: {
    google: {
      nested: {
        protobuf: {
          nested: {
            Any: { fields: { type_url: { type: 'string', id: 1 }, value: { type: 'bytes', id: 2 } } },
          },
        },
        rpc: {
          nested: {
            Status: {
              fields: {
                code: { type: 'int32', id: 1 },
                message: { type: 'string', id: 2 },
                details: { rule: 'repeated', type: 'google.protobuf.Any', id: 3 },
              },
            },
            BadRequest: {
              fields: { field_violations: { rule: 'repeated', type: 'FieldViolation', id: 1 } },
              nested: {
                FieldViolation: {
                  fields: { field: { type: 'string', id: 1 }, description: { type: 'string', id: 2 } },
                },
              },
            },
          },
        },
      },
    },
  },
});
const StatusType = root.lookupType('google.rpc.Status');
const BadRequestType = root.lookupType('google.rpc.BadRequest');
const BAD_REQUEST_URL = 'type.googleapis.com/google.rpc.BadRequest';
export const STATUS_DETAILS_KEY = 'grpc-status-details-bin';

export interface GrpcServiceError extends Error {
  code: GrpcStatus;
  details: string;
  metadata: Metadata;
}

export function grpcCodeOf(error: DomainError): GrpcStatus {
  return KIND_TO_CODE[error.kind];
}

/** Turns a DomainError into the error object grpc-js sends: status code, message and rich details. */
export function toGrpcError(error: DomainError): GrpcServiceError {
  const code = grpcCodeOf(error);
  const metadata = new Metadata();
  const details: { type_url: string; value: Uint8Array }[] = [];
  const violations = 'violations' in error ? (error.violations as FieldViolation[]) : [];
  if (violations.length > 0) {
    details.push({
      type_url: BAD_REQUEST_URL,
      value: BadRequestType.encode(BadRequestType.fromObject({ field_violations: violations })).finish(),
    });
  }
  const statusBytes = StatusType.encode(
    StatusType.fromObject({ code, message: error.message, details }),
  ).finish();
  metadata.set(STATUS_DETAILS_KEY, Buffer.from(statusBytes));
  return Object.assign(new Error(error.message), { code, details: error.message, metadata });
}

/** Reads the field violations back out of a gRPC error's trailers (used by clients and tests). */
export function fieldViolationsOf(error: { metadata?: Metadata }): FieldViolation[] {
  const raw = error.metadata?.get(STATUS_DETAILS_KEY)?.[0];
  if (!raw || typeof raw === 'string') return [];
  const decoded = StatusType.toObject(StatusType.decode(raw), { defaults: true }) as {
    details: { type_url: string; value: Uint8Array }[];
  };
  return decoded.details
    .filter((d) => d.type_url === BAD_REQUEST_URL)
    .flatMap(
      (d) =>
        (
          BadRequestType.toObject(BadRequestType.decode(d.value), { defaults: true }) as {
            field_violations: FieldViolation[];
          }
        ).field_violations,
    );
}
