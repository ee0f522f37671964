import * as grpc from '@grpc/grpc-js';
import type { HealthCheckResponse, HealthHandlers } from './generated/grpc/health/v1/index.js';
import type { GrpcHealthV1HealthProto } from './generated/index.js';
import { HEALTH_PROTO, loadPackage } from './loader.js';
import { isUndecodableRequest, tolerateUndecodableMethods, UNDECODABLE_REQUEST } from './undecodable.js';

/** A status a service can be in. SERVICE_UNKNOWN is only ever sent by Watch, never stored. */
export type ServingStatus = 'UNKNOWN' | 'SERVING' | 'NOT_SERVING';
/** Status per service name; `''` is the server as a whole (what `npm run status` asks about). */
export type HealthStatusMap = Record<string, ServingStatus>;

/** Fully qualified name of the health service, e.g. for reflection listings. */
export const HEALTH_SERVICE_NAME = 'grpc.health.v1.Health';

let healthDefinition: grpc.ServiceDefinition | undefined;
/** The grpc.health.v1.Health service definition, loaded once through the shared loader. */
export function healthServiceDefinition(): grpc.ServiceDefinition {
  if (!healthDefinition) {
    healthDefinition = loadPackage<GrpcHealthV1HealthProto>([HEALTH_PROTO]).grpcObject.grpc.health.v1.Health
      .service;
    // bytes that are no HealthCheckRequest are the caller's mistake, not INTERNAL
    tolerateUndecodableMethods(healthDefinition as unknown as Record<string, unknown>);
  }
  return healthDefinition;
}

type Listener = (status: ServingStatus) => void;

/**
 * The standard gRPC health service (grpc.health.v1): Check answers from the status map (NOT_FOUND
 * for an unknown service), Watch sends the current status at once and then every change
 * (SERVICE_UNKNOWN while the service is not known), until the client cancels.
 */
export class HealthImplementation {
  private readonly statuses = new Map<string, ServingStatus>();
  private readonly listeners = new Map<string, Set<Listener>>();
  /** ends each open Watch stream (shutdown: an open stream would hold its connection open) */
  private readonly watches = new Set<() => void>();
  private shuttingDown = false;

  constructor(statusMap: HealthStatusMap = {}) {
    for (const [service, status] of Object.entries(statusMap)) this.statuses.set(service, status);
  }

  /** Sets a service's status and notifies its watchers if it changed. Ignored after `shutdown()`. */
  setStatus(service: string, status: ServingStatus): void {
    if (this.shuttingDown) return;
    this.update(service, status);
  }

  /** Current status, or undefined when the service is unknown. */
  getStatus(service: string): ServingStatus | undefined {
    return this.statuses.get(service);
  }

  /**
   * Marks every known service NOT_SERVING (so load balancers and `npm run status` see the drain),
   * freezes the map (later `setStatus` calls are ignored) and ends the open Watch streams once
   * they were told, so they do not hold connections open while the server drains. Call it first
   * on SIGTERM.
   */
  shutdown(): void {
    for (const service of this.statuses.keys()) this.update(service, 'NOT_SERVING');
    this.shuttingDown = true;
    for (const end of [...this.watches]) end();
  }

  /** Number of open Watch streams (for tests and metrics). */
  get watcherCount(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  /** The handlers to register: `server.addService(healthServiceDefinition(), impl.handlers)`. */
  readonly handlers: HealthHandlers = {
    Check: (call, callback) => {
      const request: unknown = call.request;
      if (isUndecodableRequest(request)) {
        callback({ code: grpc.status.INVALID_ARGUMENT, details: request[UNDECODABLE_REQUEST] });
        return;
      }
      const status = this.statuses.get(call.request.service);
      if (status === undefined) {
        // never the whole name back: it travels in a trailer, and a caller may send anything
        const name = call.request.service;
        const shown = name.length > 64 ? `${name.slice(0, 64)}…` : name;
        callback({ code: grpc.status.NOT_FOUND, details: `unknown service "${shown}"` });
        return;
      }
      callback(null, { status } satisfies HealthCheckResponse);
    },
    Watch: (call) => {
      const service = call.request.service;
      let last: string | undefined;
      const send = (status: ServingStatus | 'SERVICE_UNKNOWN') => {
        if (status === last) return; // the protocol promises changes, not repeats
        last = status;
        call.write({ status } satisfies HealthCheckResponse);
      };
      const listener: Listener = (status) => send(status);
      let set = this.listeners.get(service);
      if (!set) this.listeners.set(service, (set = new Set()));
      set.add(listener);
      const stop = () => {
        const current = this.listeners.get(service);
        current?.delete(listener);
        if (current?.size === 0) this.listeners.delete(service);
        this.watches.delete(end);
      };
      const end = () => {
        stop();
        call.end();
      };
      call.on('cancelled', stop);
      call.on('close', stop);
      call.on('error', stop);
      send(this.statuses.get(service) ?? 'SERVICE_UNKNOWN');
      // a Watch that arrives while the server drains gets the status and its end at once
      if (this.shuttingDown) end();
      else this.watches.add(end);
    },
  };

  /** Registers the Health service on a grpc-js server (or Nest's, via `onLoadPackageDefinition`). */
  addToServer(server: Pick<grpc.Server, 'addService'>): void {
    server.addService(healthServiceDefinition(), this.handlers);
  }

  private update(service: string, status: ServingStatus): void {
    const previous = this.statuses.get(service);
    this.statuses.set(service, status);
    if (previous === status) return;
    for (const listener of [...(this.listeners.get(service) ?? [])]) listener(status);
  }
}

/** `createHealthImplementation({ '': 'NOT_SERVING' })`, then `setStatus('', 'SERVING')` once ready. */
export function createHealthImplementation(statusMap: HealthStatusMap = {}): HealthImplementation {
  return new HealthImplementation(statusMap);
}
