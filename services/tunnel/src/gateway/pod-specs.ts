import { createHash } from 'node:crypto';
import type { gridSchemas } from '@edgeplane/contracts';
import type { EdgeplaneTunnelV1 } from '@edgeplane/proto';

type ProtoPod = EdgeplaneTunnelV1.PodSpec__Output;
type ProtoContainer = EdgeplaneTunnelV1.ContainerSpec__Output;
type ProtoProbe = EdgeplaneTunnelV1.Probe__Output;

/**
 * What a node's agent is told to run, from the grid's assignments (NodePodsAssigned): each pod's
 * rendered Kubernetes pod spec mapped to the tunnel's PodSpec. Bounded here, before anything is
 * stored or pushed: at most MAX_PODS_PER_NODE pods, every list and string cut to the tunnel's
 * bounds. Fields the agent's runtime does not use are left out; what the agent cannot run it
 * validates again and reports (the grid sees the reason).
 */
export const MAX_PODS_PER_NODE = 256;
const MAX = { containers: 16, args: 256, env: 256, ports: 64, labels: 64, text: 8192, value: 32_768 };

/** The namespace pods run in when the rendered spec names none (the grid's children carry none yet). */
export const DEFAULT_NAMESPACE = 'default';

/** A new uid is a new pod: the same pod name on another node, or at another revision, is another pod. */
export function podUid(clusterId: string, node: string, a: gridSchemas.PodAssignment): string {
  return createHash('sha256')
    .update(JSON.stringify([clusterId, node, a.grid, a.pod, a.revision]))
    .digest('hex')
    .slice(0, 32);
}

export function podSpecsOf(
  clusterId: string,
  node: string,
  assignments: readonly gridSchemas.PodAssignment[],
): ProtoPod[] {
  return assignments
    .slice(0, MAX_PODS_PER_NODE)
    .map((a) => podSpecOf(clusterId, node, a))
    .sort((x, y) => (x.uid < y.uid ? -1 : x.uid > y.uid ? 1 : 0));
}

/** Equal digests, equal pods (part of the desired-state version). */
export function podsDigest(pods: readonly ProtoPod[]): string {
  return createHash('sha256').update(JSON.stringify(pods)).digest('hex').slice(0, 16);
}

function podSpecOf(clusterId: string, node: string, a: gridSchemas.PodAssignment): ProtoPod {
  const spec = a.spec;
  const labels: Record<string, string> = {
    'edgeplane.io/grid': a.grid,
    'edgeplane.io/child': a.child,
    'edgeplane.io/unit': a.unit,
    'edgeplane.io/revision': a.revision,
  };
  return {
    name: a.pod,
    namespace: text(a.namespace, 63) || DEFAULT_NAMESPACE,
    uid: podUid(clusterId, node, a),
    containers: list(spec.containers)
      .slice(0, MAX.containers)
      .map((c) => containerOf(obj(c))),
    restartPolicy: text(spec.restartPolicy, 16),
    labels: Object.fromEntries(Object.entries(labels).slice(0, MAX.labels)),
    terminationGracePeriodSeconds: int(spec.terminationGracePeriodSeconds, 0, 3600),
    grid: a.grid,
    unit: a.unit,
    revision: a.revision,
  };
}

function containerOf(c: Record<string, unknown>): ProtoContainer {
  const ports = list(c.ports)
    .slice(0, MAX.ports)
    .map((p) => {
      const o = obj(p);
      return {
        containerPort: int(o.containerPort, 0, 65535),
        hostPort: int(o.hostPort, 0, 65535),
        protocol: text(o.protocol, 8),
        name: text(o.name, 15),
      };
    });
  const named = new Map(ports.filter((p) => p.name).map((p) => [p.name, p.containerPort]));
  return {
    name: text(c.name, 63),
    image: text(c.image, 512),
    imagePullPolicy: text(c.imagePullPolicy, 16),
    command: strings(c.command),
    args: strings(c.args),
    env: list(c.env)
      .slice(0, MAX.env)
      .map((e) => obj(e))
      // valueFrom (secrets, field refs) is not carried: no secret travels in the desired state
      .filter((e) => typeof e.name === 'string' && typeof e.value === 'string')
      .map((e) => ({ name: text(e.name, 256), value: text(e.value, MAX.value) })),
    workingDir: text(c.workingDir, 1024),
    ports,
    readinessProbe: probeOf(c.readinessProbe, named),
    livenessProbe: probeOf(c.livenessProbe, named),
    resources: resourcesOf(c.resources),
  };
}

function probeOf(raw: unknown, named: Map<string, number>): ProtoProbe | null {
  if (raw === undefined || raw === null) return null;
  const p = obj(raw);
  const port = (v: unknown) => (typeof v === 'string' ? (named.get(v) ?? 0) : int(v, 0, 65535));
  const exec = p.exec === undefined ? null : { command: strings(obj(p.exec).command).slice(0, 64) };
  const http = p.httpGet === undefined ? null : obj(p.httpGet);
  const tcp = p.tcpSocket === undefined ? null : obj(p.tcpSocket);
  return {
    exec,
    httpGet: http ? { path: text(http.path, 1024), port: port(http.port) } : null,
    tcpSocket: tcp ? { port: port(tcp.port) } : null,
    initialDelaySeconds: int(p.initialDelaySeconds, 0, 3600),
    periodSeconds: int(p.periodSeconds, 0, 3600),
    timeoutSeconds: int(p.timeoutSeconds, 0, 600),
    failureThreshold: int(p.failureThreshold, 0, 100),
    successThreshold: int(p.successThreshold, 0, 100),
  };
}

function resourcesOf(raw: unknown): EdgeplaneTunnelV1.ResourceRequirements__Output | null {
  if (raw === undefined || raw === null) return null;
  const r = obj(raw);
  const quantities = (v: unknown) =>
    Object.fromEntries(
      Object.entries(obj(v))
        .slice(0, 16)
        .map(([k, q]) => [k.slice(0, 253), String(q).slice(0, 64)]),
    );
  return { requests: quantities(r.requests), limits: quantities(r.limits) };
}

function obj(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function text(v: unknown, max: number): string {
  return typeof v === 'string' ? v.slice(0, Math.min(max, MAX.text)) : '';
}

function strings(v: unknown): string[] {
  return list(v)
    .slice(0, MAX.args)
    .map((s) => (typeof s === 'string' ? s.slice(0, MAX.text) : String(s)));
}

function int(v: unknown, min: number, max: number): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : 0;
}
