import type * as grpc from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';

/**
 * Registers gRPC server reflection (grpc.reflection.v1 and v1alpha) describing `packageDefinition`,
 * so grpcurl/Postman can list and call the services without the .proto files. Load the definition
 * with the health proto included (`loadPackage([HEALTH_PROTO, ...protoFilesOf(svc)])`) so Health is
 * listed too. Works on a grpc-js server and in Nest's `onLoadPackageDefinition(pkg, server)`.
 */
export function addReflection(
  server: Pick<grpc.Server, 'addService'>,
  packageDefinition: PackageDefinition,
  options?: { services?: string[] },
): void {
  new ReflectionService(packageDefinition, options).addToServer(server);
}

/** Fully qualified names of the services in a package definition (e.g. `grpc.health.v1.Health`), sorted. */
export function serviceNamesOf(packageDefinition: PackageDefinition): string[] {
  return Object.entries(packageDefinition)
    .filter(
      ([, def]) =>
        !('format' in def) &&
        Object.values(def).every((m) => typeof m === 'object' && m !== null && 'path' in m),
    )
    .map(([name]) => name)
    .sort();
}
