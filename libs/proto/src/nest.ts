import type { PackageDefinition } from '@grpc/proto-loader';
import type { HealthImplementation } from './health.js';
import { HEALTH_PROTO, loadPackage } from './loader.js';
import { addReflection } from './reflection.js';
import { tolerateUndecodableRequests } from './undecodable.js';
import { acceptPreEncodedResponses } from './pre-encoded.js';

/**
 * The `options` of Nest's gRPC transport (`{ transport: Transport.GRPC, options }`) for one service,
 * built through the shared loader. The package definition holds the service's protos plus the
 * health proto; Health and reflection are registered on Nest's grpc-js server directly (not as
 * Nest controllers, so `packages` must not list `grpc.health.v1`).
 * Kept free of Nest imports so this library stays transport-agnostic.
 */
export function nestGrpcOptions(params: {
  /** e.g. `0.0.0.0:50051` */
  url: string;
  /** proto packages whose services Nest controllers implement, e.g. ['edgeplane.cluster.v1'] */
  packages: string[];
  /** .proto files relative to PROTO_ROOT, e.g. protoFilesOf('cluster') */
  files: string[];
  health: HealthImplementation;
}): {
  url: string;
  package: string[];
  packageDefinition: PackageDefinition;
  onLoadPackageDefinition: (
    pkg: PackageDefinition,
    server: { addService: (...args: never[]) => void },
  ) => void;
} {
  const { packageDefinition } = loadPackage([
    HEALTH_PROTO,
    ...params.files.filter((f) => f !== HEALTH_PROTO),
  ]);
  tolerateUndecodableRequests(packageDefinition);
  acceptPreEncodedResponses(packageDefinition);
  return {
    url: params.url,
    package: params.packages,
    packageDefinition,
    onLoadPackageDefinition: (pkg, server) => {
      const s = server as unknown as Parameters<typeof addReflection>[0];
      params.health.addToServer(s);
      addReflection(s, pkg);
    },
  };
}
