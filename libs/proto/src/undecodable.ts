import type { PackageDefinition } from '@grpc/proto-loader';

/**
 * What a unary method's handler receives instead of a request whose bytes are not a message of
 * its type (grpc-js would answer INTERNAL "Error deserializing request", blaming the server for
 * the client's bytes). service-kit's input guard refuses it as INVALID_ARGUMENT.
 */
export const UNDECODABLE_REQUEST = Symbol.for('edgeplane.undecodableRequest');

export interface UndecodableRequest {
  [UNDECODABLE_REQUEST]: string;
}

export function isUndecodableRequest(value: unknown): value is UndecodableRequest {
  return typeof value === 'object' && value !== null && UNDECODABLE_REQUEST in value;
}

/**
 * Wraps each unary method's request decoder so undecodable bytes become an UndecodableRequest.
 * With `streams`, client-streaming methods too: each undecodable message of the stream arrives as
 * one (the handler drops or refuses it) instead of grpc-js ending the call with INTERNAL.
 */
export function tolerateUndecodableRequests(
  packageDefinition: PackageDefinition,
  options: { streams?: boolean } = {},
): void {
  for (const entry of Object.values(packageDefinition)) {
    if (!entry || typeof entry !== 'object' || 'format' in entry) continue;
    for (const method of Object.values(entry as Record<string, unknown>)) {
      const m = method as {
        requestStream?: boolean;
        requestDeserialize?: (bytes: Buffer) => unknown;
        requestType?: { type?: { name?: string } };
      };
      if (!m || (m.requestStream && !options.streams) || typeof m.requestDeserialize !== 'function') continue;
      if ((m.requestDeserialize as { tolerant?: boolean }).tolerant) continue;
      const decode = m.requestDeserialize;
      const typeName = m.requestType?.type?.name ?? 'request';
      m.requestDeserialize = Object.assign(
        (bytes: Buffer) => {
          try {
            return decode(bytes);
          } catch (error) {
            const reason = String((error as Error)?.message ?? error).slice(0, 80);
            return { [UNDECODABLE_REQUEST]: `is not a valid ${typeName} message (${reason})` };
          }
        },
        { tolerant: true },
      );
    }
  }
}

/** The same for one grpc-js service definition (e.g. the standard health service). */
export function tolerateUndecodableMethods(
  definition: Record<string, unknown>,
  options: { streams?: boolean } = {},
): void {
  tolerateUndecodableRequests({ service: definition } as unknown as PackageDefinition, options);
}
