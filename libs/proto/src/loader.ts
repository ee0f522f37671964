import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** Absolute path of the repository's `proto/` directory: the only include root for .proto files. */
export const PROTO_ROOT = path.resolve(fileURLToPath(new URL('../../../proto', import.meta.url)));

/**
 * The one set of proto-loader options. Every server, client, test and the type generator
 * (scripts/proto-gen.mjs reads this object) use it, so the generated `__Output` types are exactly
 * what grpc-js hands to handlers:
 * - `keepCase: false`: fields are camelCase in TypeScript (`node_id` → `nodeId`); the wire is unaffected.
 * - `longs: String`: int64/uint64 arrive as decimal strings (no precision loss, no Long class).
 * - `enums: String`: enum values arrive as their names (`'SERVING'`); numbers are accepted on send.
 * - `defaults: true`: absent scalar/repeated fields arrive with their proto3 default, not `undefined`
 *   (message fields stay `null` when absent, which is how presence is tested).
 * - `oneofs: true`: each oneof gets a virtual field naming the member that is set.
 */
export const LOADER_OPTIONS: Readonly<protoLoader.Options> & { includeDirs: string[] } = Object.freeze({
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_ROOT],
});

/** The vendored standard health protocol (`grpc.health.v1.Health`). */
export const HEALTH_PROTO = 'grpc/health/v1/health.proto';

/**
 * The proto package folder of each service (`proto/edgeplane/<pkg>/v1/`). Only health-arbiter
 * differs from its service name: its API package is `edgeplane.health.v1`.
 */
export const SERVICE_PROTO_PACKAGE = {
  cluster: 'cluster',
  nodepool: 'nodepool',
  grid: 'grid',
  'health-arbiter': 'health',
  tunnel: 'tunnel',
  addons: 'addons',
} as const;
export type ServiceName = keyof typeof SERVICE_PROTO_PACKAGE;

function packageFolder(svc: ServiceName | string): string {
  const pkg = (SERVICE_PROTO_PACKAGE as Record<string, string>)[svc] ?? svc;
  return `edgeplane/${pkg}/v1`;
}

/**
 * Path (relative to PROTO_ROOT, as proto-loader resolves it through `includeDirs`) of a service's
 * main proto file: `protoPath('cluster')` → `edgeplane/cluster/v1/cluster.proto`,
 * `protoPath('health-arbiter')` → `edgeplane/health/v1/health.proto`.
 * Relative names keep file names stable in reflection and let imports dedupe.
 */
export function protoPath(svc: ServiceName | string, file?: string): string {
  const folder = packageFolder(svc);
  return `${folder}/${file ?? folder.split('/')[1]}.proto`;
}

/** Every .proto file of a service's v1 package (relative to PROTO_ROOT, sorted); [] if none yet. */
export function protoFilesOf(svc: ServiceName | string): string[] {
  const folder = packageFolder(svc);
  try {
    return readdirSync(path.join(PROTO_ROOT, folder))
      .filter((f) => f.endsWith('.proto'))
      .sort()
      .map((f) => `${folder}/${f}`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

export interface LoadedPackage<T = grpc.GrpcObject> {
  /** The grpc object tree (`pkg.grpc.health.v1.Health` …); type it with a generated `ProtoGrpcType`. */
  grpcObject: T;
  /** The raw definition: pass it to Nest (`packageDefinition`), reflection, or `grpc.loadPackageDefinition`. */
  packageDefinition: protoLoader.PackageDefinition;
}

/**
 * Loads .proto files (paths relative to PROTO_ROOT, or absolute) with LOADER_OPTIONS.
 * Example: `loadPackage<HealthProto>([HEALTH_PROTO]).grpcObject.grpc.health.v1.Health`.
 */
export function loadPackage<T = grpc.GrpcObject>(files: readonly string[]): LoadedPackage<T> {
  if (files.length === 0) throw new Error('loadPackage: no .proto files given');
  const packageDefinition = protoLoader.loadSync([...files], {
    ...LOADER_OPTIONS,
    includeDirs: [...LOADER_OPTIONS.includeDirs],
  });
  const grpcObject = grpc.loadPackageDefinition(packageDefinition) as unknown as T;
  return { grpcObject, packageDefinition };
}
