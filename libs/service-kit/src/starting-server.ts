import * as grpc from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import { serviceNamesOf, type HealthImplementation } from '@edgeplane/proto';

/** The gRPC port of a service that is still starting; closed to hand the port to Nest. */
export interface StartingServer {
  /** Stops listening and ends its connections (bounded); resolves once the port is free. */
  close(): Promise<void>;
}

/**
 * While a service waits for PostgreSQL or NATS at start, its gRPC port already answers, so an
 * orchestrator or `npm run status` sees a live process that is NOT_SERVING instead of a refused
 * port: grpc.health.v1 from the service's own `health` (NOT_SERVING until Readiness says
 * otherwise), and every method of its packages UNAVAILABLE "… is starting" — a status
 * clients retry, unlike the UNIMPLEMENTED an empty server would give.
 */
export async function startStartingServer(params: {
  service: string;
  address: string;
  health: HealthImplementation;
  packageDefinition: PackageDefinition;
  packages: string[];
  /** the same TLS credentials the service's port keeps once started */
  credentials: grpc.ServerCredentials;
}): Promise<StartingServer> {
  const refusal = (): Partial<grpc.StatusObject> => ({
    code: grpc.status.UNAVAILABLE,
    details: `${params.service} is starting (waiting for its database or message bus); try again`,
  });
  const server = new grpc.Server();
  params.health.addToServer(server);
  for (const name of serviceNamesOf(params.packageDefinition)) {
    if (!params.packages.some((p) => name.startsWith(`${p}.`))) continue;
    const definition = params.packageDefinition[name] as unknown as grpc.ServiceDefinition;
    const handlers: grpc.UntypedServiceImplementation = {};
    for (const [method, m] of Object.entries(definition)) {
      handlers[method] = m.responseStream
        ? (call: grpc.ServerWritableStream<unknown, unknown>) => call.emit('error', refusal())
        : (_call: unknown, callback: grpc.sendUnaryData<unknown>) => callback(refusal(), null);
    }
    server.addService(definition, handlers);
  }
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(params.address, params.credentials, (error) => (error ? reject(error) : resolve())),
  );
  let closing: Promise<void> | undefined;
  return {
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 5000);
        // the listener closes, then every connection is cut (health probes and refusals only)
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
        server.forceShutdown();
      })),
  };
}
