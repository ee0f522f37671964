import { createHash } from 'node:crypto';
import type { ServiceEndpointsChangedData } from '@edgeplane/contracts';
import type { EdgeplaneTunnelV1 } from '@edgeplane/proto';
import type { UnitEndpointRow } from '../db/proj-tunnel-unit-services.table.js';

type ServicePort = EdgeplaneTunnelV1.ServicePort__Output;
/** A Service port as stored: a named targetPort keeps its name until a pod's container ports resolve it. */
export type StoredServicePort = ServicePort & { targetPortName?: string };
type ServiceEntry = EdgeplaneTunnelV1.ServiceEntry__Output;

/**
 * ServiceGrids as the agents of a unit resolve them (SPEC F-GR-3): bounded here, before anything
 * is stored or pushed — at most MAX_SERVICES_PER_NODE services in a node's desired state, each
 * with at most MAX_ENDPOINTS_PER_SERVICE endpoints (the grid sorts them by pod; the first are
 * kept) and MAX_PORTS ports. The endpoints are the unit's own, never another unit's.
 */
export const MAX_SERVICES_PER_NODE = 256;
export const MAX_ENDPOINTS_PER_SERVICE = 128;
export const MAX_PORTS = 32;
const MAX_TEXT = 253;

export const DEFAULT_SERVICE_NAMESPACE = 'default';

const text = (v: unknown): string => (typeof v === 'string' ? v.slice(0, MAX_TEXT) : '');
const port = (v: unknown): number =>
  typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= 65_535 ? v : 0;

/**
 * The Service's namespace and ports from a ServiceGrid's manifest (`spec.template` is a core/v1
 * ServiceSpec, validated by the grid service). A named targetPort needs the pods' container ports
 * to resolve: its name is kept (`serviceEntriesOf` resolves it against an endpoint's pod).
 */
export function serviceGridMeta(manifest: Record<string, unknown>): {
  namespace: string;
  ports: StoredServicePort[];
} {
  const metadata = (manifest.metadata ?? {}) as Record<string, unknown>;
  const spec = (manifest.spec ?? {}) as Record<string, unknown>;
  const template = (spec.template ?? {}) as Record<string, unknown>;
  const raw = Array.isArray(template.ports) ? (template.ports as unknown[]) : [];
  const ports: StoredServicePort[] = [];
  for (const item of raw.slice(0, MAX_PORTS)) {
    const p = (item ?? {}) as Record<string, unknown>;
    if (!port(p.port)) continue;
    ports.push({
      name: text(p.name),
      port: port(p.port),
      targetPort: port(p.targetPort),
      protocol: text(p.protocol) || 'TCP',
      ...(typeof p.targetPort === 'string' && p.targetPort ? { targetPortName: text(p.targetPort) } : {}),
    });
  }
  return { namespace: text(metadata.namespace) || DEFAULT_SERVICE_NAMESPACE, ports };
}

export function metaDigest(service: string, namespace: string, ports: readonly ServicePort[]): string {
  return digest([service, namespace, ports]);
}

/** Whether any of the rows has a named targetPort (then the endpoints' pods are read to resolve it). */
export function hasNamedTargetPorts(rows: readonly UnitServiceRow[]): boolean {
  return rows.some((r) => (r.ports ?? []).some((p) => p.targetPortName));
}

/** The unit's endpoints as stored (bounded, sorted by pod) and their digest. */
export function unitEndpointsOf(d: ServiceEndpointsChangedData): {
  endpoints: UnitEndpointRow[];
  digest: string;
} {
  const endpoints = (d.removed ? [] : d.endpoints)
    .map((e) => ({ pod: text(e.pod), node: text(e.node), ...(e.ip ? { ip: text(e.ip) } : {}) }))
    .sort((a, b) => (a.pod < b.pod ? -1 : a.pod > b.pod ? 1 : 0))
    .slice(0, MAX_ENDPOINTS_PER_SERVICE);
  return { endpoints, digest: digest([d.service, endpoints]) };
}

export interface UnitServiceRow {
  grid: string;
  unit: string;
  service: string;
  endpoints: UnitEndpointRow[];
  namespace: string | null;
  ports: StoredServicePort[] | null;
}

/** A container port of an endpoint's pod by name (undefined: the pod or the name is unknown). */
export type ContainerPortOf = (node: string, pod: string, name: string) => number | undefined;

/**
 * A node's services from the rows of its units: one entry per Service (namespace/name); a node in
 * two units that both carry the same Service gets the first unit's (by name) — its endpoints
 * still never come from a unit the node is not in. An endpoint without an IP (a pod of the
 * process driver runs on its node's network) takes its node's first address. A named targetPort
 * is resolved against the first endpoint whose pod has a container port of that name (the pods of
 * one Service come from one template); unresolved, it is 0 (the agent dials the Service port).
 */
export function serviceEntriesOf(
  rows: readonly UnitServiceRow[],
  nodeAddress: (node: string) => string | undefined,
  containerPort: ContainerPortOf = () => undefined,
): ServiceEntry[] {
  const byKey = new Map<string, ServiceEntry>();
  const sorted = [...rows].sort((a, b) =>
    a.unit !== b.unit ? (a.unit < b.unit ? -1 : 1) : a.grid < b.grid ? -1 : a.grid > b.grid ? 1 : 0,
  );
  for (const r of sorted) {
    const namespace = r.namespace ?? DEFAULT_SERVICE_NAMESPACE;
    const key = `${namespace}/${r.service}`;
    if (byKey.has(key)) continue;
    const endpoints: EdgeplaneTunnelV1.ServiceEndpoint__Output[] = [];
    for (const e of r.endpoints) {
      const ip = e.ip ?? nodeAddress(e.node);
      if (ip) endpoints.push({ ip, pod: e.pod, node: e.node });
    }
    byKey.set(key, {
      name: r.service,
      namespace,
      grid: r.grid,
      unit: r.unit,
      ports: (r.ports ?? []).map(({ targetPortName, ...p }) => {
        if (!targetPortName) return p;
        for (const e of r.endpoints) {
          const resolved = containerPort(e.node, e.pod, targetPortName);
          if (resolved) return { ...p, targetPort: resolved };
        }
        return p;
      }),
      endpoints,
    });
  }
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, MAX_SERVICES_PER_NODE)
    .map(([, e]) => e);
}

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}
