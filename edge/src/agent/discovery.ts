import { isIP } from 'node:net';
import type { Tunnel } from '../tunnel/protocol.js';
import { isObject } from './validate.js';

/**
 * Service discovery inside the unit (SPEC F-GR-3): the ServiceGrids of this node's unit and their
 * ready endpoints IN THIS UNIT, as the cloud last said (or the cache, while it is away). A name
 * resolves only to these: a Service without a ready endpoint answers 503 here, it never falls back
 * to another unit or goes through the tunnel.
 *
 * Names: `<svc>`, `<svc>.<ns>`, `<svc>.<ns>.svc`, `<svc>.<ns>.svc.cluster.local` (a trailing dot
 * allowed), where `<svc>` is the rendered Service's name (`<grid>-svc`) or the ServiceGrid's own.
 * A bare `<svc>` prefers the `default` namespace. A name under `.svc[.cluster.local]` that is no
 * known Service is answered 503 too: it is a cluster name, never a site address.
 */

export interface ServicePort {
  name: string;
  port: number;
  /** 0: the same as `port` */
  targetPort: number;
  protocol: string;
}

export interface ServiceEndpoint {
  ip: string;
  pod: string;
  node: string;
}

export interface UnitService {
  name: string;
  namespace: string;
  grid: string;
  unit: string;
  ports: ServicePort[];
  endpoints: ServiceEndpoint[];
}

export type Resolution =
  | { kind: 'not-a-service' }
  | { kind: 'endpoint'; host: string; port: number; service: string; pod: string }
  | { kind: 'unavailable'; message: string };

/** The gateway sends no more than these (tunnel.proto); a cache file with more is not served. */
export const MAX_SERVICES = 256;
export const MAX_ENDPOINTS = 128;
const MAX_PORTS = 32;
const DEFAULT_NAMESPACE = 'default';

export function servicesFromTunnel(services: readonly Tunnel.ServiceEntry__Output[]): UnitService[] {
  return services.slice(0, MAX_SERVICES).map((s) => ({
    name: s.name,
    namespace: s.namespace || DEFAULT_NAMESPACE,
    grid: s.grid,
    unit: s.unit,
    ports: s.ports
      .slice(0, MAX_PORTS)
      .map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: p.protocol })),
    endpoints: s.endpoints
      .slice(0, MAX_ENDPOINTS)
      .filter((e) => isIP(e.ip) !== 0)
      .map((e) => ({ ip: e.ip, pod: e.pod, node: e.node })),
  }));
}

/** The services of a cache file (state/desired.json); undefined when they are not well-formed. */
export function servicesFromCache(v: unknown): UnitService[] | undefined {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.length > MAX_SERVICES) return undefined;
  const out: UnitService[] = [];
  for (const s of v) {
    if (!isObject(s) || typeof s.name !== 'string' || typeof s.namespace !== 'string') return undefined;
    if (typeof s.unit !== 'string' || typeof s.grid !== 'string') return undefined;
    if (!Array.isArray(s.ports) || !Array.isArray(s.endpoints) || s.endpoints.length > MAX_ENDPOINTS)
      return undefined;
    const ports = s.ports.filter(
      (p): p is ServicePort =>
        isObject(p) &&
        Number.isInteger(p.port) &&
        Number.isInteger(p.targetPort) &&
        typeof p.name === 'string',
    );
    const endpoints = s.endpoints.filter(
      (e): e is ServiceEndpoint => isObject(e) && typeof e.ip === 'string' && isIP(e.ip) !== 0,
    );
    out.push({ name: s.name, namespace: s.namespace, grid: s.grid, unit: s.unit, ports, endpoints });
  }
  return out;
}

export class ServiceDirectory {
  private byName = new Map<string, UnitService[]>();
  private readonly turn = new Map<string, number>();

  /** Replaces what the node knows (a new desired state, or the cache at start). */
  set(services: readonly UnitService[]): void {
    const byName = new Map<string, UnitService[]>();
    const add = (key: string, s: UnitService) => {
      const list = byName.get(key);
      if (!list) byName.set(key, [s]);
      else if (!list.includes(s)) list.push(s);
    };
    for (const s of services) {
      add(s.name, s);
      if (s.grid) add(s.grid, s);
    }
    // the Service's own name wins over a grid of the same name (`foo-svc` vs grid `foo-svc`)
    for (const [key, list] of byName) list.sort((a, b) => Number(b.name === key) - Number(a.name === key));
    this.byName = byName;
  }

  /**
   * The Service a host name names: `service` when it is one of this unit's, `unknown` when it is a
   * cluster name (`….svc[.cluster.local]`) that is not, `undefined` when it is no cluster name at all.
   */
  lookup(rawHost: string): { service: UnitService } | { unknown: string } | undefined {
    const host = rawHost.toLowerCase().replace(/\.$/, '');
    if (isIP(host) !== 0) return undefined;
    const labels = host.split('.');
    const clusterForm =
      (labels.length === 3 && labels[2] === 'svc') ||
      (labels.length === 5 && labels[2] === 'svc' && labels[3] === 'cluster' && labels[4] === 'local');
    if (labels.length > 2 && !clusterForm) return undefined;
    const [name = '', namespace] = labels;
    const candidates = this.byName.get(name) ?? [];
    const service = namespace
      ? candidates.find((s) => s.namespace === namespace)
      : (candidates.find((s) => s.namespace === DEFAULT_NAMESPACE) ?? candidates[0]);
    if (service) return { service };
    // `foo` or `foo.bar` that is no Service here: an ordinary host name (another site, the internet)
    return clusterForm ? { unknown: `${namespace}/${name}` } : undefined;
  }

  /** What `host:port` is: not a Service name, one of its endpoints (round robin), or a 503. */
  resolve(rawHost: string, port: number): Resolution {
    const found = this.lookup(rawHost);
    if (!found) return { kind: 'not-a-service' };
    if ('unknown' in found)
      return { kind: 'unavailable', message: `service ${found.unknown} is not known in this node's unit` };
    const { service } = found;
    const id = `${service.namespace}/${service.name}`;
    let target = port;
    if (service.ports.length > 0) {
      const p = service.ports.find((x) => x.port === port && (x.protocol || 'TCP').toUpperCase() === 'TCP');
      if (!p) return { kind: 'unavailable', message: `service ${id} has no TCP port ${port}` };
      target = p.targetPort || p.port;
    }
    const endpoints = service.endpoints;
    if (endpoints.length === 0)
      return { kind: 'unavailable', message: `service ${id} has no ready endpoint in unit ${service.unit}` };
    const n = this.turn.get(id) ?? 0;
    this.turn.set(id, (n + 1) % endpoints.length);
    const e = endpoints[n % endpoints.length] as ServiceEndpoint;
    return { kind: 'endpoint', host: e.ip, port: target, service: id, pod: e.pod };
  }
}
