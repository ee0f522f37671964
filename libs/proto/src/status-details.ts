import { Metadata } from '@grpc/grpc-js';
import protobuf from 'protobufjs';

/** One rejected request field, as google.rpc.BadRequest.FieldViolation carries it. */
export interface FieldViolation {
  field: string;
  description: string;
}

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

interface AnyMessage {
  type_url: string;
  value: Uint8Array;
}

/** Trailers carrying google.rpc.Status (with a BadRequest detail when there are violations). */
export function statusDetailsMetadata(code: number, message: string, violations: FieldViolation[]): Metadata {
  const details: AnyMessage[] = [];
  if (violations.length > 0) {
    details.push({
      type_url: BAD_REQUEST_URL,
      value: BadRequestType.encode(BadRequestType.fromObject({ field_violations: violations })).finish(),
    });
  }
  const metadata = new Metadata();
  metadata.set(
    STATUS_DETAILS_KEY,
    Buffer.from(StatusType.encode(StatusType.fromObject({ code, message, details })).finish()),
  );
  return metadata;
}

/** Reads the field violations back out of a gRPC error's trailers (clients and tests). */
export function fieldViolationsOf(error: { metadata?: Metadata }): FieldViolation[] {
  const raw = error.metadata?.get(STATUS_DETAILS_KEY)?.[0];
  if (!raw || typeof raw === 'string') return [];
  const status = StatusType.toObject(StatusType.decode(raw), { defaults: true }) as { details: AnyMessage[] };
  return status.details
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
