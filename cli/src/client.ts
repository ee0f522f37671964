import * as grpc from '@grpc/grpc-js';
import { fieldViolationsOf } from '@edgeplane/es-kit';
import { loadPackage, protoFilesOf, type ServiceName } from '@edgeplane/proto';

/**
 * The API endpoint block: `--server HOST[:PORT]` / EDGEPLANE_SERVER names the host and the first
 * port of the block (default the local stack, 127.0.0.1:50051); each service sits at a fixed
 * offset from it, as `npm start` and docker-compose lay them out. EDGEPLANE_<SERVICE>_ADDR
 * (e.g. EDGEPLANE_NODEPOOL_ADDR=10.0.0.5:7000) overrides one service.
 */
export const PORT_OFFSETS: Record<ServiceName, number> = {
  cluster: 0,
  nodepool: 1,
  grid: 2,
  'health-arbiter': 3,
  tunnel: 4,
  addons: 5,
};

export function addressOf(
  service: ServiceName,
  server = process.env.EDGEPLANE_SERVER ?? '127.0.0.1:50051',
): string {
  const override = process.env[`EDGEPLANE_${service.toUpperCase().replace(/-/g, '_')}_ADDR`];
  if (override) return override;
  const [host, port] = server.includes(':') ? server.split(/:(?=\d+$)/) : [server, '50051'];
  return `${host}:${Number(port) + PORT_OFFSETS[service]}`;
}

type Unary = (
  req: unknown,
  md: grpc.Metadata,
  opts: grpc.CallOptions,
  cb: (e: grpc.ServiceError | null, r: unknown) => void,
) => void;

/** A promise-returning client for one gRPC service of the API, e.g. client('cluster', 'edgeplane.cluster.v1.ClusterService'). */
export function client(service: ServiceName, fqName: string, server?: string) {
  const { grpcObject } = loadPackage(protoFilesOf(service));
  const Ctor = fqName.split('.').reduce<any>((o, k) => o?.[k], grpcObject) as typeof grpc.Client | undefined;
  if (!Ctor) throw new Error(`unknown gRPC service ${fqName}`);
  const c = new Ctor(addressOf(service, server), grpc.credentials.createInsecure()) as grpc.Client &
    Record<string, Unary>;
  return {
    call<T = any>(method: string, request: unknown, timeoutMs = 15_000): Promise<T> {
      const fn = c[method] ?? c[method.charAt(0).toLowerCase() + method.slice(1)];
      if (!fn) return Promise.reject(new Error(`unknown method ${fqName}/${method}`));
      return new Promise<T>((resolve, reject) =>
        fn.call(c, request, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) =>
          err ? reject(err) : resolve(res as T),
        ),
      );
    },
    close: () => c.close(),
  };
}

/** Prints the server's reason (and each field violation) for a failed call; returns the exit code. */
export function reportError(error: unknown): number {
  const e = error as grpc.ServiceError;
  if (typeof e?.code === 'number') {
    const code = grpc.status[e.code] ?? String(e.code);
    if (e.code === grpc.status.UNAVAILABLE) {
      process.stderr.write(
        `error: cannot reach the Edgeplane API (${e.details}); is the stack running (npm start), or set --server / EDGEPLANE_SERVER\n`,
      );
      return 1;
    }
    process.stderr.write(`error: ${code}: ${e.details}\n`);
    for (const v of fieldViolationsOf(e)) process.stderr.write(`  - ${v.field}: ${v.description}\n`);
    return 1;
  }
  process.stderr.write(`error: ${(error as Error)?.message ?? String(error)}\n`);
  return 1;
}
